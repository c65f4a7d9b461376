/*
 * The Java binding's fire call as a plain JNI method. Firing is the one call on the traced path, and through JNA's
 * generic dispatch a traced fire cost more (BENCHMARKS.md, row 2), so this call alone is bound the JNI way.
 *
 * Only the library the jar ships contains this file (make lib, which needs a JDK's jni.h); the core and its tests
 * build without it. Its one entry point has no C caller and so no header: the Java side (NativeCore) looks
 * dtp_jni_register_fire up by name through JNA.
 */
#include <jni.h>

#include "internal.h"

static void JNICALL probe_fire(JNIEnv *env, jclass cls, jlong probe, jlong args)
{
    (void)env;
    (void)cls;
    dtp_probe_fire((dtp_probe *)(intptr_t)probe, (const uint64_t *)(intptr_t)args);
}

/*
 * Binds the static method `void dtpProbeFire(long probe, long args)` of java_class to dtp_probe_fire, through the JNI
 * environment of the calling thread. Returns 0, or -1 if the class has no such method.
 */
DTP_API int dtp_jni_register_fire(JNIEnv *env, jclass java_class)
{
    JNINativeMethod method = {.name = "dtpProbeFire", .signature = "(JJ)V", .fnPtr = (void *)probe_fire};
    return (*env)->RegisterNatives(env, java_class, &method, 1) == JNI_OK ? 0 : -1;
}
