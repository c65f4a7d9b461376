package io.github.dtraceprovider.agent.weaving;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Bound to the added probe's slot in {@link ProbeDispatch} when {@link ProbeAdvice} is woven in. */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
@interface ProbeIndex {
}
