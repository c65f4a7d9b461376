package example.shop;

/** Loaded by {@link PluginHost}'s own class loader, as a plugin or a redeployed application's class is. */
public final class Plugin {

    private Plugin() {
    }

    public static String work(long round) {
        return "plugin work " + round;
    }
}
