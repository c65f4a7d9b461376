package io.github.dtraceprovider.agent;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.security.cert.Certificate;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Loads what the agent runs on (its weaving code, dtrace-core, JNA, Byte Buddy) from the agent jar's {@value #PREFIX}
 * folder, apart from the application. The jar is on the system class path, where the application's own loaders look
 * first: were these classes at its root, an application that carries dtrace-core, JNA or Byte Buddy itself would
 * get ours, of another version, or half of each. Under {@value #PREFIX} no other loader finds them.
 *
 * <p>Only the classes at the jar's root ({@link ProbeDispatch} and the entry points) come from the system class
 * loader; everything else that is not under {@value #PREFIX} comes from the JDK.
 */
final class AgentClassLoader extends ClassLoader {

    static final String PREFIX = "inner/";
    private static final String ROOT_PACKAGE = AgentClassLoader.class.getPackageName() + ".";

    static {
        registerAsParallelCapable();
    }

    private final JarFile jar;
    private final String jarUrl;
    private final ProtectionDomain domain;

    AgentClassLoader(JarFile jar, URL jarLocation) {
        super("dtrace-agent", ClassLoader.getPlatformClassLoader());
        this.jar = jar;
        this.jarUrl = jarLocation.toExternalForm();
        this.domain = new ProtectionDomain(new CodeSource(jarLocation, (Certificate[]) null), null, this, null);
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        synchronized (getClassLoadingLock(name)) {
            Class<?> loaded = findLoadedClass(name);
            if (loaded == null) {
                boolean atRoot = name.startsWith(ROOT_PACKAGE) && name.indexOf('.', ROOT_PACKAGE.length()) < 0;
                loaded = atRoot ? AgentClassLoader.class.getClassLoader().loadClass(name) : findInner(name);
            }
            if (resolve) {
                resolveClass(loaded);
            }
            return loaded;
        }
    }

    private Class<?> findInner(String name) throws ClassNotFoundException {
        JarEntry entry = jar.getJarEntry(PREFIX + name.replace('.', '/') + ".class");
        if (entry == null) {
            return getParent().loadClass(name);
        }
        try (InputStream in = jar.getInputStream(entry)) {
            byte[] bytes = in.readAllBytes();
            return defineClass(name, bytes, 0, bytes.length, domain);
        } catch (IOException e) {
            throw new ClassNotFoundException(name + ": cannot read it from " + jar.getName(), e);
        }
    }

    @Override
    protected URL findResource(String name) {
        if (jar.getJarEntry(PREFIX + name) == null) {
            return null;
        }
        try {
            return new URL("jar:" + jarUrl + "!/" + PREFIX + name);
        } catch (MalformedURLException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected Enumeration<URL> findResources(String name) {
        URL resource = findResource(name);
        return resource == null ? Collections.emptyEnumeration() : Collections.enumeration(List.of(resource));
    }
}
