package io.github.dtraceprovider.core.internal.nativecore;

import com.sun.jna.JNIEnv;

/**
 * The C API of libdtraceprovider (native/include/dtrace_provider.h), bound with JNA direct mapping:
 * pointers travel as {@code long}, 0 meaning NULL. The library is loaded ({@link NativeLibraryLoader}) once, when
 * this class is first used; if that fails the reason is kept and none of the native methods may be called, nor
 * {@link NativeFire}'s.
 */
public final class NativeCore {

    private static final String UNSUPPORTED_REASON = NativeLibraryLoader.bind(NativeCore.class, () ->
            dtp_jni_register_fire(JNIEnv.CURRENT, NativeFire.class) == 0 ? null
                    : "cannot bind " + NativeFire.class.getName() + ".dtpProbeFire to the native library dtraceprovider");

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
