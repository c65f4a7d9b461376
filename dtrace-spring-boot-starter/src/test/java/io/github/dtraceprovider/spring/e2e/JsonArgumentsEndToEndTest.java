package io.github.dtraceprovider.spring.e2e;

import java.util.AbstractCollection;
import java.util.ArrayList;
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
import io.github.dtraceprovider.test.ProbeRecorder;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code json} arguments written by the application's Jackson mapper are bounded like the built-in encoder's: the
 * output stops at 4095 characters, so an endless {@code Iterable} and a huge collection cost only that much and only
 * the elements that fit are visited; containers nested deeper than 32 levels, cycles included, are written as
 * {@code "..."}; and a getter (where a lazy association would load) runs only for objects that start within the
 * output. A {@link ProbeRecorder} reads what the probe carried, as a tracer would.
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

        Map<String, String> fired = fire(Map.of("endless", endless, "huge", huge, "cycle", first, "deep", deep,
                "lazy", orders));

        String integers = "[" + IntStream.range(0, 3000).mapToObj(Integer::toString).collect(Collectors.joining(","));
        String allOrders = orders.stream().map(order -> "{\"id\":" + order.id + ",\"lines\":[\"item " + order.id + "\"]}")
                .collect(Collectors.joining(",", "[", "]"));
        int lastStarted = allOrders.lastIndexOf("{\"id\":", LIMIT - 1);
        int lastStartedId = Integer.parseInt(allOrders.substring(lastStarted + 6, allOrders.indexOf(',', lastStarted)));
        SoftAssertions.assertSoftly(softly -> {
            softly.assertThat(fired.get("endless")).as("endless").isEqualTo(cut(integers));
            softly.assertThat(endlessVisited.get()).as("elements of the endless Iterable visited")
                    .isLessThanOrEqualTo(MOST_ELEMENTS_THAT_FIT);
            softly.assertThat(fired.get("huge")).as("huge").isEqualTo(cut(integers));
            softly.assertThat(hugeVisited.get()).as("elements of the huge collection visited")
                    .isLessThanOrEqualTo(MOST_ELEMENTS_THAT_FIT);
            softly.assertThat(fired.get("cycle")).as("cycle")
                    .isEqualTo(cut("{\"next\":".repeat(32) + "\"...\"" + "}".repeat(32)));
            softly.assertThat(fired.get("deep")).as("deep").isEqualTo(cut("[".repeat(32) + "\"...\"" + "]".repeat(32)));
            softly.assertThat(fired.get("lazy")).as("lazy").isEqualTo(cut(allOrders));
            softly.assertThat(lastLoaded.get()).as("the last order whose lines were loaded; the last one to start"
                    + " within the output is " + lastStartedId).isBetween(lastStartedId - 1, lastStartedId);
            softly.assertThat(provider.probe("payload").failureCount()).as("failures of the payload probe").isZero();
        });
    }

    /** Fires each case once while recorded; returns the JSON each fire carried. */
    private Map<String, String> fire(Map<String, Object> cases) {
        Probe payload = provider.probe("payload");
        try (ProbeRecorder recorder = ProbeRecorder.attach(provider)) {
            cases.forEach((name, value) -> payload.fire(() -> new Object[] {name, value}));
            Map<String, String> fired = new LinkedHashMap<>();
            recorder.fires("payload").forEach(fire -> fired.put((String) fire.arg("case"), (String) fire.arg("value")));
            assertThat(fired).as("one fire per case").containsOnlyKeys(cases.keySet());
            return fired;
        }
    }

    /** What a tracer sees of {@code json}: its first 4095 characters (all ASCII here, so as many bytes). */
    private static String cut(String json) {
        return json.substring(0, Math.min(json.length(), LIMIT));
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
