package io.github.dtraceprovider.core.internal.nativecore;

/**
 * {@code dtp_probe_fire}, the one native call on the traced path, as a plain JNI method (native/src/jni_fire.c):
 * JNA's dispatch made a traced fire markedly slower (BENCHMARKS.md, row 2 and "Firing through plain JNI").
 * {@link NativeCore} binds it when it loads the library; it may be called only once {@link NativeCore#isLoaded()}.
 * Its arguments are raw native addresses: a wrong one crashes the JVM.
 */
public final class NativeFire {

    private NativeFire() {
    }

    /** Fires the dtp_probe at {@code probe} with the argument block at {@code args}. */
    public static native void dtpProbeFire(long probe, long args);
}
