package io.github.dtraceprovider.core.internal.nativecore;

import java.util.List;

import com.sun.jna.Function;
import com.sun.jna.JNIEnv;
import com.sun.jna.NativeLibrary;

/**
 * The C API of libdtraceprovider (native/include/dtrace_provider.h), called through JNA's {@link Function}:
 * pointers travel as {@code long}, 0 meaning NULL. The library is loaded ({@link NativeLibraryLoader}) once, when
 * this class is first used; if that fails the reason is kept and none of these functions may be called, nor
 * {@link NativeFire}'s.
 *
 * <p>Not JNA's direct mapping ({@code Native.register}): JNA keeps a registered class reachable for good (a JNI
 * global reference to each of its native methods, and options naming the class in a weak map's value), so where JNA
 * is shared by several applications, as from a servlet container's lib folder, every redeployed copy of this library
 * would stay in memory with its class loader. These calls define providers and probes, never fire them.
 */
public final class NativeCore {

    /** The C functions below: loading looks each up, so that a library without one is refused at once. */
    private static final List<String> FUNCTIONS = List.of("dtp_provider_create", "dtp_probe_add",
            "dtp_provider_enable", "dtp_provider_disable", "dtp_provider_destroy", "dtp_probe_semaphore",
            "dtp_probe_object_path", "dtp_arg_location", "dtp_last_error", "dtp_jni_register_fire");
    /** Set while loading, once the library has every function; kept until this class is unloaded. */
    private static NativeLibrary library;
    private static final String UNSUPPORTED_REASON = NativeLibraryLoader.load(FUNCTIONS, loaded -> {
        library = loaded;
        return dtp_jni_register_fire(JNIEnv.CURRENT, NativeFire.class) == 0 ? null
                : "cannot bind " + NativeFire.class.getName() + ".dtpProbeFire to the native library dtraceprovider";
    });

    private NativeCore() {
    }

    /** True when the native library is loaded and the functions may be called. */
    public static boolean isLoaded() {
        return UNSUPPORTED_REASON == null;
    }

    /** Why the library is not loaded (one line), or null when it is. */
    public static String unsupportedReason() {
        return UNSUPPORTED_REASON;
    }

    public static long dtp_provider_create(String name, String module) {
        return function("dtp_provider_create").invokeLong(new Object[] {name, module});
    }

    public static long dtp_probe_add(long provider, String name, int argc, int[] types) {
        return function("dtp_probe_add").invokeLong(new Object[] {provider, name, argc, types});
    }

    public static int dtp_provider_enable(long provider, String dir) {
        return function("dtp_provider_enable").invokeInt(new Object[] {provider, dir});
    }

    public static void dtp_provider_disable(long provider) {
        function("dtp_provider_disable").invokeVoid(new Object[] {provider});
    }

    public static void dtp_provider_destroy(long provider) {
        function("dtp_provider_destroy").invokeVoid(new Object[] {provider});
    }

    public static long dtp_probe_semaphore(long probe) {
        return function("dtp_probe_semaphore").invokeLong(new Object[] {probe});
    }

    public static String dtp_probe_object_path(long probe) {
        return function("dtp_probe_object_path").invokeString(new Object[] {probe}, false);
    }

    public static String dtp_arg_location(int index) {
        return function("dtp_arg_location").invokeString(new Object[] {index}, false);
    }

    public static String dtp_last_error() {
        return function("dtp_last_error").invokeString(new Object[0], false);
    }

    private static int dtp_jni_register_fire(JNIEnv env, Class<?> javaClass) {
        return function("dtp_jni_register_fire").invokeInt(new Object[] {env, javaClass});
    }

    /** The library's function of that name, one of {@link #FUNCTIONS}. */
    private static Function function(String name) {
        return library.getFunction(name);
    }
}
