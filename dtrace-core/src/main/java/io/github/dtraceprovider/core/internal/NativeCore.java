package io.github.dtraceprovider.core.internal;

import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.sun.jna.JNIEnv;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;

/**
 * The C API of libdtraceprovider (native/include/dtrace_provider.h), bound with JNA direct mapping:
 * pointers travel as {@code long}, 0 meaning NULL. The library is loaded once, when this class is first
 * used; if that fails the reason is kept and none of the native methods may be called, nor {@link NativeFire}'s.
 *
 * <p>The library this jar carries is loaded through this class's own class loader, whichever thread comes first
 * (a pool thread's context class loader may not see the application's jars), and before any other
 * {@code libdtraceprovider.so} that {@code jna.library.path} or the system's library path would offer. Loading fails
 * softly: whatever it throws (a missing or foreign library, JNA's own native library from another JNA version, a
 * JNA too old for these bindings) leaves the providers inert, with the reason, except a {@link VirtualMachineError}.
 */
public final class NativeCore {

    /**
     * The limits and dtp_arg_type values of dtrace_provider.h; the Java rules refer to these, and
     * NativeLimitsTest checks that the library enforces the same limits.
     */
    public static final int DTP_MAX_ARGS = 12;
    public static final int DTP_MAX_NAME = 64;
    public static final int DTP_ARG_INT64 = 1;
    public static final int DTP_ARG_STRING = 2;

    private static final String LIBRARY = "dtraceprovider";
    /** What the dynamic loader says when the file system of a library is mounted noexec. */
    private static final String NOEXEC_SYMPTOM = "failed to map segment from shared object";
    private static final String NOEXEC_HINT = " (JNA unpacks native libraries into the directory of the system"
            + " property jna.tmpdir, else ~/.cache/JNA/temp, else java.io.tmpdir, and that file system must allow"
            + " execution: set -Djna.tmpdir to a directory that does)";
    /** How JNA's error begins when its own native library (libjnidispatch) is from another JNA version. */
    private static final String JNA_INCOMPATIBLE = "There is an incompatible JNA native library";
    private static final String UNSUPPORTED_REASON = load();

    private NativeCore() {
    }

    /** True when the native library is loaded and the native methods may be called. */
    public static boolean isLoaded() {
        return UNSUPPORTED_REASON == null;
    }

    /** Why the library is not loaded (one line), or null when it is. */
    public static String unsupportedReason() {
        return UNSUPPORTED_REASON;
    }

    /** Why USDT probes cannot work on this OS and architecture (os.name, os.arch), or null. */
    static String platformProblem(String os, String arch) {
        if (!os.toLowerCase(Locale.ROOT).startsWith("linux")) {
            return "USDT probes need Linux; this is " + os;
        }
        if (!arch.equals("amd64") && !arch.equals("x86_64") && !arch.equals("aarch64")) {
            return "the native library is built for x86-64 and aarch64 only; this is " + arch;
        }
        return null;
    }

    private static String load() {
        String problem = platformProblem(System.getProperty("os.name", "unknown"),
                System.getProperty("os.arch", "unknown"));
        if (problem != null) {
            return problem;
        }
        try {
            // Names and the directory are passed as C strings: UTF-8 whatever the platform's default charset.
            // Objects are allowed for the one call that takes a class, dtp_jni_register_fire.
            Map<String, Object> options = Map.of(Library.OPTION_STRING_ENCODING, "UTF-8",
                    Library.OPTION_ALLOW_OBJECTS, Boolean.TRUE);
            Native.register(NativeCore.class, open(options));
            if (dtp_jni_register_fire(JNIEnv.CURRENT, NativeFire.class) != 0) {
                return "cannot bind " + NativeFire.class.getName() + ".dtpProbeFire to the native library " + LIBRARY;
            }
            return null;
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) {
            String message = describe(e);
            return "cannot load the native library " + LIBRARY + ": " + e.getClass().getSimpleName() + ": " + message
                    + (message.contains(NOEXEC_SYMPTOM) ? NOEXEC_HINT : "");
        }
    }

    /**
     * The library this class's jar carries, found through this class's own loader; where the jar carries none for
     * this platform, the one JNA finds by name.
     */
    private static NativeLibrary open(Map<String, Object> options) throws IOException {
        ClassLoader loader = NativeCore.class.getClassLoader();
        URL resource = loader.getResource(Platform.RESOURCE_PREFIX + "/" + System.mapLibraryName(LIBRARY));
        if (resource == null) {
            return NativeLibrary.getInstance(LIBRARY, options);
        }
        File file = Native.extractFromResourcePath(LIBRARY, loader);
        if (file == null) {
            // -Djna.nounpack=true: JNA unpacks nothing from a jar, so the library must be found by name
            return NativeLibrary.getInstance(LIBRARY, options);
        }
        try {
            return NativeLibrary.getInstance(file.getAbsolutePath(), options);
        } finally {
            if (!resource.getProtocol().equals("file")) {
                // A copy unpacked for this process is needed no more once loaded: JNA does the same with its own.
                file.delete();
            }
        }
    }

    /** The first line of an error's message; for JNA's version mismatch, the versions and the library's path too. */
    private static String describe(Throwable e) {
        List<String> lines = String.valueOf(e.getMessage()).lines().map(String::strip).filter(line -> !line.isEmpty())
                .toList();
        if (lines.isEmpty()) {
            return "";
        }
        String first = lines.get(0);
        if (!first.startsWith(JNA_INCOMPATIBLE)) {
            return first;
        }
        List<String> versions = lines.stream().filter(line -> line.startsWith("Expected:") || line.startsWith("Found:"))
                .map(line -> line.replaceAll("\\s+", " ")).toList();
        String where = lines.stream().filter(line -> line.startsWith("(at ") && line.contains(")"))
                .map(line -> " " + line.substring(1, line.lastIndexOf(')'))).findFirst().orElse("");
        return first + ": " + String.join(", ", versions) + where;
    }

    public static native long dtp_provider_create(String name, String module);

    public static native long dtp_probe_add(long provider, String name, int argc, int[] types);

    public static native int dtp_provider_enable(long provider, String dir);

    public static native void dtp_provider_disable(long provider);

    public static native void dtp_provider_destroy(long provider);

    public static native long dtp_probe_semaphore(long probe);

    public static native String dtp_probe_object_path(long probe);

    public static native String dtp_arg_location(int index);

    public static native String dtp_last_error();

    private static native int dtp_jni_register_fire(JNIEnv env, Class<?> javaClass);
}
