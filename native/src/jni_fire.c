/*
 * The Java binding's fire call as a plain JNI method. Firing is the one call on the traced path, and through JNA's
 * generic dispatch a traced fire cost about 150 ns more (BENCHMARKS.md, row 2), so this call alone is bound the JNI
 * way.
 */
#include <jni.h>

#include "internal.h"

static void JNICALL fire(JNIEnv *env, jclass cls, jlong probe, jlong args)
{
    (void)env;
    (void)cls;
    dtp_probe_fire((dtp_probe *)(intptr_t)probe, (const uint64_t *)(intptr_t)args);
}

int dtp_jni_register_fire(void *jni_env, void *java_class)
{
    JNIEnv *env = jni_env;
    JNINativeMethod method = {.name = "fire", .signature = "(JJ)V", .fnPtr = (void *)fire};
    return (*env)->RegisterNatives(env, (jclass)java_class, &method, 1) == JNI_OK ? 0 : -1;
}
