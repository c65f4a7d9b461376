package io.github.dtraceprovider.core.internal.nativecore;

import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;

/**
 * Loads libdtraceprovider for {@link NativeCore} and checks that it has every function NativeCore calls.
 *
 * <p>The library this jar carries is loaded through this class's own class loader, whichever thread comes first
 * (a pool thread's context class loader may not see the application's jars), and before any other
 * {@code libdtraceprovider.so} that {@code jna.library.path} or the system's library path would offer. Loading fails
 * softly: whatever it throws (a missing or foreign library, JNA's own native library from another JNA version, a
 * JNA too old for these bindings) becomes the reason the providers are inert, except a {@link VirtualMachineError}.
 */
final class NativeLibraryLoader {

    private static final String LIBRARY = "dtraceprovider";
    /** What the dynamic loader says when the file system of a library is mounted noexec. */
    private static final String NOEXEC_SYMPTOM = "failed to map segment from shared object";
    private static final String NOEXEC_HINT = " (JNA unpacks native libraries into the directory of the system"
            + " property jna.tmpdir, else ~/.cache/JNA/temp, else java.io.tmpdir, and that file system must allow"
            + " execution: set -Djna.tmpdir to a directory that does)";
    /** How JNA's error begins when its own native library (libjnidispatch) is from another JNA version. */
    private static final String JNA_INCOMPATIBLE = "There is an incompatible JNA native library";

    private NativeLibraryLoader() {
    }

    /**
     * Loads the library, checks that it has each of {@code functions}, then runs {@code afterLoading} with it, which
     * returns why it failed or null. Returns null once all is done, else why not (one line).
     */
    static String load(List<String> functions, Function<NativeLibrary, String> afterLoading) {
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
            NativeLibrary library = open(options);
            functions.forEach(library::getFunction);
            return afterLoading.apply(library);
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) {
            String message = describe(e);
            return "cannot load the native library " + LIBRARY + ": " + e.getClass().getSimpleName() + ": " + message
                    + (message.contains(NOEXEC_SYMPTOM) ? NOEXEC_HINT : "");
        }
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

    /**
     * The library this class's jar carries, found through this class's own loader; where the jar carries none for
     * this platform, the one JNA finds by name.
     */
    private static NativeLibrary open(Map<String, Object> options) throws IOException {
        ClassLoader loader = NativeLibraryLoader.class.getClassLoader();
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
}
