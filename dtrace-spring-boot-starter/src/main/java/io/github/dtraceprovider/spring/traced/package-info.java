/**
 * {@link io.github.dtraceprovider.spring.Traced @Traced} methods ({@code dtrace.traced.*}): {@code method-entry} and
 * {@code method-return}, and the application probe an annotation names, applied by a Spring AOP advisor.
 */
package io.github.dtraceprovider.spring.traced;
