package io.github.dtraceprovider.spring.e2e;

import java.util.AbstractCollection;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.github.dtraceprovider.core.DTraceProvider;
import io.github.dtraceprovider.core.JsonEncoder;
import io.github.dtraceprovider.core.Probe;
import io.github.dtraceprovider.testing.Bpftrace;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import static io.github.dtraceprovider.spring.e2e.HttpProbeAssertions.PID;
import static io.github.dtraceprovider.spring.e2e.HttpProbeAssertions.TIMEOUT;
import static io.github.dtraceprovider.testing.ProbeStates.awaitTraced;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code json} arguments written by the application's Jackson mapper are bounded like the built-in encoder's: the
 * output stops at 4095 characters, so an endless {@code Iterable} and a huge collection cost only that much and only
 * the elements that fit are visited; containers nested deeper than 32 levels, cycles included, are written as
 * {@code "..."}; and a getter (where a lazy association would load) runs only for objects that start within the
 * output. bpftrace reads what the probe carried: the first 300 characters and those at 4090 to 4094.
 */
@SpringBootTest(classes = GreetingApplication.class, webEnvironment = WebEnvironment.NONE, properties = {
        "spring.main.web-application-type=none",
        "dtrace.provider=json_e2e",
        "dtrace.probes.payload=char * case,json value" })
class JsonArgumentsEndToEndTest {

    private static final int LIMIT = 4095;
    /** Each element of a list of integers takes at least two characters ("0,"): no more than this many fit. */
    private static final int MOST_ELEMENTS_THAT_FIT = LIMIT / 2 + 1;
    private static final int ENDLESS_SAFETY_NET = 1_000_000;

    @Autowired
    DTraceProvider provider;

    @Autowired
    JsonEncoder jsonEncoder;

    @Test
    void jsonArgumentsAreBoundedWhileTraced() {
        Bpftrace.assumeAvailable();
        assertThat(jsonEncoder).isNotSameAs(JsonEncoder.simple());

        AtomicInteger endlessVisited = new AtomicInteger();
        Iterable<Integer> endless = () -> counting(endlessVisited, Integer.MAX_VALUE);
        AtomicInteger hugeVisited = new AtomicInteger();
        int hugeSize = 2_000_000;
        AbstractCollection<Integer> huge = new AbstractCollection<>() {
            @Override
            public Iterator<Integer> iterator() {
                return counting(hugeVisited, hugeSize);
            }

            @Override
            public int size() {
                return hugeSize;
            }
        };
        Node first = new Node();
        first.next = new Node();
        first.next.next = first;
        Object deep = List.of();
        for (int i = 0; i < 100; i++) {
            deep = List.of(deep);
        }
        AtomicInteger lastLoaded = new AtomicInteger(-1);
        List<LazyOrder> orders = new ArrayList<>();
        for (int id = 0; id < 1000; id++) {
            orders.add(new LazyOrder(id, List.of("item " + id), lastLoaded));
        }

        Map<String, Seen> seen = trace(Map.of("endless", endless, "huge", huge, "cycle", first, "deep", deep,
                "lazy", orders));

        String integers = "[" + IntStream.range(0, 3000).mapToObj(Integer::toString).collect(Collectors.joining(","));
        String allOrders = orders.stream().map(order -> "{\"id\":" + order.id + ",\"lines\":[\"item " + order.id + "\"]}")
                .collect(Collectors.joining(",", "[", "]"));
        int lastStarted = allOrders.lastIndexOf("{\"id\":", LIMIT - 1);
        int lastStartedId = Integer.parseInt(allOrders.substring(lastStarted + 6, allOrders.indexOf(',', lastStarted)));
        SoftAssertions.assertSoftly(softly -> {
            softly.assertThat(seen.get("endless")).as("endless").isEqualTo(Seen.of(integers));
            softly.assertThat(endlessVisited.get()).as("elements of the endless Iterable visited")
                    .isLessThanOrEqualTo(MOST_ELEMENTS_THAT_FIT);
            softly.assertThat(seen.get("huge")).as("huge").isEqualTo(Seen.of(integers));
            softly.assertThat(hugeVisited.get()).as("elements of the huge collection visited")
                    .isLessThanOrEqualTo(MOST_ELEMENTS_THAT_FIT);
            softly.assertThat(seen.get("cycle")).as("cycle")
                    .isEqualTo(Seen.of("{\"next\":".repeat(32) + "\"...\"" + "}".repeat(32)));
            softly.assertThat(seen.get("deep")).as("deep").isEqualTo(Seen.of("[".repeat(32) + "\"...\"" + "]".repeat(32)));
            softly.assertThat(seen.get("lazy")).as("lazy").isEqualTo(Seen.of(allOrders));
            softly.assertThat(lastLoaded.get()).as("the last order whose lines were loaded; the last one to start"
                    + " within the output is " + lastStartedId).isBetween(lastStartedId - 1, lastStartedId);
            softly.assertThat(provider.probe("payload").failureCount()).as("failures of the payload probe").isZero();
        });
    }

    /** Fires each case once with bpftrace attached; returns what the tracer saw of each. */
    private Map<String, Seen> trace(Map<String, Object> cases) {
        Probe payload = provider.probe("payload");
        String slice = "str(arg1 + %d, 60)";
        try (Bpftrace bpftrace = Bpftrace.attach(PID, "usdt::json_e2e:payload { printf(\"%s|head|%d|%s|%s|%s\\n\","
                + " str(arg0), arg1 == 0, str(arg1, 60), " + slice.formatted(60) + ", " + slice.formatted(120) + "); }"
                + " usdt::json_e2e:payload { printf(\"%s|rest|%s|%s|%s\\n\", str(arg0), " + slice.formatted(180) + ", "
                + slice.formatted(240) + ", str(arg1 + " + (LIMIT - 5) + ", 6)); }")) {
            awaitTraced(payload);
            sleep(200); // the programs are attached a moment after the semaphore is set
            cases.forEach((name, value) -> payload.fire(() -> new Object[] {name, value}));
            bpftrace.awaitLines(".*", 2 * cases.size(), TIMEOUT);
            Map<String, String[]> heads = new HashMap<>();
            Map<String, String[]> rests = new HashMap<>();
            for (String line : bpftrace.stop()) {
                String[] fields = line.split("\\|", -1);
                (fields[1].equals("head") ? heads : rests).put(fields[0], fields);
            }
            Map<String, Seen> seen = new LinkedHashMap<>();
            for (String name : cases.keySet()) {
                String[] head = heads.get(name);
                String[] rest = rests.get(name);
                assertThat(head).as("head line of " + name).isNotNull();
                assertThat(rest).as("rest line of " + name).isNotNull();
                String start = joinSlices(head[3], head[4], head[5], rest[2], rest[3]);
                seen.put(name, new Seen(head[2].equals("1"), start, start.length() < 300 ? "" : rest[4]));
            }
            return seen;
        }
    }

    /** The string from slices of 60 characters: a slice shorter than that holds the end of the string. */
    private static String joinSlices(String... slices) {
        StringBuilder text = new StringBuilder();
        for (String slice : slices) {
            text.append(slice);
            if (slice.length() < 60) {
                break;
            }
        }
        return text.toString();
    }

    /** What bpftrace saw of a JSON argument: NULL or not, its first 300 characters, its characters 4090 to 4094. */
    record Seen(boolean isNull, String start, String atTheCut) {

        /** What a tracer sees of {@code json} cut at the limit. */
        static Seen of(String json) {
            String cut = json.substring(0, Math.min(json.length(), LIMIT));
            return new Seen(false, cut.substring(0, Math.min(cut.length(), 300)),
                    cut.length() < 300 ? "" : cut.substring(Math.min(cut.length(), LIMIT - 5)));
        }
    }

    /** Counts the elements it hands out; an endless one gives up after a million, so the old encoder ends too. */
    private static Iterator<Integer> counting(AtomicInteger visited, int size) {
        return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < size;
            }

            @Override
            public Integer next() {
                if (visited.incrementAndGet() > ENDLESS_SAFETY_NET) {
                    throw new IllegalStateException("visited a million elements");
                }
                return next++;
            }
        };
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** A node of a cycle. */
    public static final class Node {
        public Node next;
    }

    /** An order whose lines load lazily, as a JPA association would: it records which orders were loaded. */
    public static final class LazyOrder {

        private final int id;
        private final List<String> lines;
        private final AtomicInteger lastLoaded;

        LazyOrder(int id, List<String> lines, AtomicInteger lastLoaded) {
            this.id = id;
            this.lines = lines;
            this.lastLoaded = lastLoaded;
        }

        public int getId() {
            return id;
        }

        public List<String> getLines() {
            lastLoaded.accumulateAndGet(id, Math::max);
            return lines;
        }
    }
}
