package io.github.dtraceprovider.spring;

import java.util.stream.Stream;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.context.annotation.ImportCandidates;
import org.springframework.util.ClassUtils;

/**
 * The starter's auto-configurations as its {@code AutoConfiguration.imports} lists them (so a test that uses them
 * also checks that list), plus Spring Boot's AOP auto-proxying that @Traced relies on.
 */
public final class StarterAutoConfigurations {

    public static final AutoConfigurations ALL = AutoConfigurations.of(classes());

    private StarterAutoConfigurations() {
    }

    private static Class<?>[] classes() {
        ClassLoader loader = StarterAutoConfigurations.class.getClassLoader();
        Stream<Class<?>> starter = ImportCandidates.load(AutoConfiguration.class, loader).getCandidates().stream()
                .filter(name -> name.startsWith("io.github.dtraceprovider."))
                .map(name -> ClassUtils.resolveClassName(name, loader));
        return Stream.concat(Stream.of(AopAutoConfiguration.class), starter).toArray(Class<?>[]::new);
    }
}
