package io.github.dtraceprovider.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.function.Supplier;

import com.sun.jna.Native;
import com.sun.jna.Platform;

/**
 * A copy of dtrace-core loaded by a class loader of its own, as a web application that bundles the library gets in a
 * servlet container: its classes, its own native library and its own static state, beside the copy the tests use.
 * The copy is used only through reflection, so that the test holds none of its classes once it drops the copy.
 */
final class IsolatedCopy implements AutoCloseable {

    private final URLClassLoader loader;

    private IsolatedCopy(URLClassLoader loader) {
        this.loader = loader;
    }

    /** A copy that brings its own JNA, as an application whose WEB-INF/lib holds both jars. */
    static IsolatedCopy withOwnJna() {
        return new IsolatedCopy(new URLClassLoader("dtrace-core copy",
                new URL[] {locationOf(DTraceProvider.class), nativeLibraryLocation(), locationOf(Native.class)},
                ClassLoader.getPlatformClassLoader()));
    }

    /** A copy that uses the JNA of {@code jna}, as an application uses a jar of the container's shared folder. */
    static IsolatedCopy sharingJna(ClassLoader jna) {
        return new IsolatedCopy(new URLClassLoader("dtrace-core copy",
                new URL[] {locationOf(DTraceProvider.class), nativeLibraryLocation()}, jna));
    }

    /** A class loader of JNA alone, for {@link #sharingJna}: the container's shared folder. */
    static URLClassLoader sharedJna() {
        return new URLClassLoader("shared JNA", new URL[] {locationOf(Native.class)},
                ClassLoader.getPlatformClassLoader());
    }

    ClassLoader loader() {
        return loader;
    }

    /** {@code DTraceProvider.isSupported()} of this copy. */
    boolean isSupported() {
        return (Boolean) call(null, "isSupported");
    }

    /** {@code DTraceProvider.create(name)} of this copy; whatever it throws is thrown as is. */
    Object create(String name) {
        return call(null, "create", name);
    }

    /** Adds a probe, enables the provider and fires the probe, as an application does. */
    void enableAndFire(Object provider) {
        Object probe = call(provider, "addProbe", "hit", new String[] {"int"});
        call(provider, "enable");
        Supplier<Object[]> args = () -> new Object[] {1};
        invoke(method(probe.getClass(), "fire", Supplier.class), probe, args);
    }

    void close(Object provider) {
        call(provider, "close");
    }

    /** Closes the loader's jar files; classes it has loaded stay usable. */
    @Override
    public void close() {
        try {
            loader.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Calls a public method of DTraceProvider: static when {@code target} is null. */
    private Object call(Object target, String name, Object... args) {
        Class<?> providerClass;
        try {
            providerClass = Class.forName(DTraceProvider.class.getName(), true, loader);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
        Class<?>[] types = new Class<?>[args.length];
        for (int i = 0; i < args.length; i++) {
            types[i] = args[i].getClass();
        }
        return invoke(method(providerClass, name, types), target, args);
    }

    private static Method method(Class<?> type, String name, Class<?>... parameterTypes) {
        try {
            return type.getMethod(name, parameterTypes);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Object invoke(Method method, Object target, Object... args) {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    private static URL locationOf(Class<?> type) {
        return type.getProtectionDomain().getCodeSource().getLocation();
    }

    /** The jar or directory that holds the native library at JNA's resource path (the dtrace-native artifact). */
    private static URL nativeLibraryLocation() {
        String resource = Platform.RESOURCE_PREFIX + "/" + System.mapLibraryName("dtraceprovider");
        URL url = DTraceProvider.class.getClassLoader().getResource(resource);
        if (url == null) {
            throw new IllegalStateException(resource + " is not on the test class path");
        }
        try {
            String spec = url.toString();
            if (spec.startsWith("jar:")) {
                return new URL(spec.substring("jar:".length(), spec.indexOf("!/")));
            }
            Path file = Path.of(url.toURI());
            return file.getParent().getParent().toUri().toURL();
        } catch (IOException | URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
