package example.shop;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.ref.WeakReference;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;

/**
 * A program for {@code AddedProbeIT} that runs {@link Plugin} in a class loader of its own, with the system class
 * loader as parent or, given {@code isolated}, none. It calls {@code Plugin.work} every few milliseconds and prints each
 * result until it reads {@code drop}; then it lets go of the loader and prints {@code collected} once the garbage
 * collector took it, or {@code kept} if after 50 collections something still holds it.
 */
public final class PluginHost {

    private static volatile boolean dropped;

    private PluginHost() {
    }

    /** Loads Plugin itself instead of asking its parent, which would find it on the class path. */
    private static final class PluginLoader extends URLClassLoader {

        PluginLoader(URL[] urls, ClassLoader parent) {
            super("plugins", urls, parent);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.equals(Plugin.class.getName())) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> loaded = findLoadedClass(name);
                return loaded != null ? loaded : findClass(name);
            }
        }
    }

    public static void main(String[] args) throws Exception {
        Thread input = new Thread(PluginHost::readInput);
        input.setDaemon(true);
        input.start();
        WeakReference<ClassLoader> loader = runUntilDropped(args.length > 0 && args[0].equals("isolated"));
        for (int i = 0; i < 50 && loader.get() != null; i++) {
            System.gc();
            Thread.sleep(100);
        }
        System.out.println(loader.get() == null ? "collected" : "kept");
        Thread.sleep(Long.MAX_VALUE);
    }

    private static WeakReference<ClassLoader> runUntilDropped(boolean isolated) throws Exception {
        URL classes = Path.of(PluginHost.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toUri()
                .toURL();
        URLClassLoader loader = new PluginLoader(new URL[] {classes}, isolated ? null : ClassLoader.getSystemClassLoader());
        Method work = loader.loadClass(Plugin.class.getName()).getMethod("work", long.class);
        System.out.println("ready");
        for (long round = 0; !dropped; round++) {
            System.out.println(work.invoke(null, round));
            Thread.sleep(5);
        }
        loader.close();
        return new WeakReference<>(loader);
    }

    private static void readInput() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                dropped |= line.equals("drop");
            }
        } catch (IOException e) {
            // closed
        }
        System.exit(0);
    }
}
