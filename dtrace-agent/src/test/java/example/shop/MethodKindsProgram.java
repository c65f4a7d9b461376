package example.shop;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;

/**
 * A plain program with no probes of its own, for {@code MethodKindsIT}: every few milliseconds it calls one method of
 * each kind an added probe must cover, and prints what each call took and gave, until its standard input closes.
 * Compiled for Java 17, it makes its calls on virtual threads only where the JVM has them (21 and later).
 */
public final class MethodKindsProgram {

    private static final String[] CURRENCIES = {"EUR", "USD", "JPY"};
    private static final String[] CITIES = {"Lyon", "Porto", "Oslo", "Riga"};
    /** Calls on virtual threads per round: enough that several run at once. */
    private static final int TRACKED_PER_ROUND = 3;

    private MethodKindsProgram() {
    }

    /** Two overloads of one name. */
    public static final class Till {

        public long price(long quantity) {
            return quantity * 99;
        }

        public String price(long quantity, String currency) {
            return quantity * 101 + " " + currency;
        }
    }

    /** Its constructor throws when the city is empty. */
    public static final class Parcel {

        private final long id;
        private final String city;

        public Parcel(long id, String city) {
            if (city.isEmpty()) {
                throw new IllegalArgumentException("a parcel goes somewhere");
            }
            this.id = id;
            this.city = city;
        }

        @Override
        public String toString() {
            return "parcel " + id + " to " + city;
        }
    }

    /** Its default method is the probed one: the implementing record declares only {@code name()}. */
    public interface Labelled {

        String name();

        default String label(String prefix) {
            return prefix + "/" + name();
        }
    }

    public record Shelf(String name) implements Labelled {
    }

    public static long checksum(long value) {
        return (value * 31 + 7) % 1000;
    }

    /** The work is done by a lambda: a probe on this method must see what the lambda computed. */
    public static long total(int items, long unitCents) {
        return LongStream.rangeClosed(1, items).map(item -> item * unitCents).sum();
    }

    /** Throws NumberFormatException for anything but digits. */
    public static long parse(String quantity) {
        return Long.parseLong(quantity);
    }

    public static String track(long id) {
        return "parcel " + id + " tracked on " + (isVirtual(Thread.currentThread()) ? "a virtual" : "a platform")
                + " thread";
    }

    public static void main(String[] args) throws Exception {
        ExitWhenInputCloses.watch();
        ExecutorService virtualThreads = virtualThreadPerTaskExecutor();
        System.out.println("virtual threads: " + (virtualThreads != null));
        System.out.println("ready");
        Till till = new Till();
        for (long round = 0; ; round++) {
            long quantity = round % 10;
            String currency = CURRENCIES[(int) (round % CURRENCIES.length)];
            System.out.println("price(" + quantity + ") = " + till.price(quantity));
            System.out.println("price(" + quantity + ", " + currency + ") = " + till.price(quantity, currency));
            // every sixth parcel has no city, which its constructor refuses
            String city = round % 6 == 5 ? "" : CITIES[(int) (round % CITIES.length)];
            try {
                System.out.println(new Parcel(round, city));
            } catch (IllegalArgumentException e) {
                System.out.println("parcel " + round + " refused");
            }
            System.out.println("checksum(" + round + ") = " + checksum(round));
            Shelf shelf = new Shelf("shelf-" + round % 5);
            String prefix = "aisle-" + round % 7;
            System.out.println("label(" + prefix + ") of " + shelf.name() + " = " + shelf.label(prefix));
            int items = (int) (round % 5) + 1;
            System.out.println("total(" + items + ", " + round + ") = " + total(items, round));
            String text = round % 4 == 0 ? "n/a" : Long.toString(round);
            try {
                System.out.println("parse(" + text + ") = " + parse(text));
            } catch (NumberFormatException e) {
                System.out.println("parse(" + text + ") threw " + e.getClass().getName());
            }
            if (virtualThreads != null) {
                List<Future<String>> tracked = new ArrayList<>();
                for (long id = round * TRACKED_PER_ROUND; id < (round + 1) * TRACKED_PER_ROUND; id++) {
                    long parcel = id;
                    tracked.add(virtualThreads.submit(() -> track(parcel)));
                }
                for (Future<String> result : tracked) {
                    System.out.println(result.get());
                }
            }
            System.out.println("round " + round);
            Thread.sleep(5);
        }
    }

    /** Java 21's executor, found by reflection since this class is compiled for 17; null before 21. */
    private static ExecutorService virtualThreadPerTaskExecutor() throws ReflectiveOperationException {
        try {
            return (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
        } catch (NoSuchMethodException e) {
            return null;
        }
    }

    private static boolean isVirtual(Thread thread) {
        try {
            Method isVirtual = Thread.class.getMethod("isVirtual");
            return (Boolean) isVirtual.invoke(thread);
        } catch (NoSuchMethodException e) {
            return false;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
