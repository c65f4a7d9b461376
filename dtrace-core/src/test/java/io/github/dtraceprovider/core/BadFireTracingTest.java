package io.github.dtraceprovider.core;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.github.dtraceprovider.testing.Bpftrace;

import static io.github.dtraceprovider.core.Tracing.PID;
import static io.github.dtraceprovider.core.Tracing.TIMEOUT;
import static io.github.dtraceprovider.core.Tracing.uniqueName;
import static io.github.dtraceprovider.testing.ProbeStates.awaitTraced;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Fires with bad arguments while bpftrace is attached: nothing ever reaches the caller, every fault is counted in
 * {@link Probe#failureCount()} and logged once per probe, and the tracer sees exactly what the README documents.
 * Each fire passes its case name first, so that a line can be told apart whatever order bpftrace prints them in.
 */
class BadFireTracingTest {

    private CapturedLog log;

    @BeforeEach
    void captureLog() {
        Bpftrace.assumeAvailable();
        log = CapturedLog.start();
    }

    @AfterEach
    void releaseLog() {
        log.close();
    }

    @Test
    void faultySuppliersSkipTheFireAndNeverThrow() {
        String name = uniqueName("badsupplier");
        try (DTraceProvider provider = DTraceProvider.create(name)) {
            Probe probe = provider.addProbe("p", "char * case", "int n");
            provider.enable();
            try (Bpftrace bpftrace = Bpftrace.attach(PID,
                    "usdt::" + name + ":p { printf(\"%s %ld\\n\", str(arg0), arg1); }")) {
                awaitArmed(probe);
                List<Supplier<Object[]>> skipped = Arrays.asList(
                        () -> {
                            throw new IllegalStateException("supplier broke");
                        },
                        () -> {
                            throw new OutOfMemoryError("simulated");
                        },
                        () -> {
                            throw new StackOverflowError();
                        },
                        () -> {
                            throw new UnprintableException();
                        },
                        () -> null,
                        null);
                for (Supplier<Object[]> supplier : skipped) {
                    probe.fire(supplier);
                    provider.fire("p", supplier);
                }
                probe.fire(() -> new Object[] {"after", 1});
                bpftrace.awaitLine("after 1", TIMEOUT);
                assertThat(bpftrace.stop()).containsExactly("after 1");
            }
            assertThat(probe.fireCount()).isEqualTo(1);
            assertThat(probe.failureCount()).isEqualTo(12);
            assertThat(warnings(1)).singleElement().asString().startsWith("DTrace probe \"p\" of provider \"" + name
                    + "\": the argument supplier threw java.lang.IllegalStateException at "
                    + BadFireTracingTest.class.getName() + ".lambda$").endsWith("; fire skipped (further problems with"
                    + " this probe are counted in failureCount(), not logged)").doesNotContain("supplier broke");
        }
    }

    @Test
    void wrongCountsAndTypesAreCoercedAsDocumented() {
        String name = uniqueName("badvalues");
        try (DTraceProvider provider = DTraceProvider.create(name)) {
            Probe probe = provider.addProbe("p", "char * case", "int a", "char * b", "int c");
            provider.enable();
            Map<String, String> seen = trace(name, probe,
                    "printf(\"%s|%ld|%s|%d|%ld\\n\", str(arg0), arg1, str(arg2), arg2 == 0, arg3);",
                    List.of(
                            new Object[] {"few"},
                            new Object[] {"many", 1, "b", 3, "extra", new Object()},
                            new Object[] {"types", "12", 34, new Object[0]},
                            new Object[] {"nulls", null, null, null}));
            assertThat(seen).containsExactlyInAnyOrderEntriesOf(Map.of(
                    "few", "few|0||1|0",
                    "many", "many|1|b|0|3",
                    "types", "types|0|34|0|0",
                    "nulls", "nulls|0||1|0"));
            assertThat(probe.fireCount()).isEqualTo(4);
            assertThat(probe.failureCount()).isEqualTo(4);
            assertThat(warnings(1)).singleElement().asString().contains("the supplier returned 1 value(s) for 4"
                    + " argument(s); the missing ones were passed as 0 or NULL");
        }
    }

    @Test
    void integersThatDoNotFitAreClampedAndCounted() {
        String name = uniqueName("badints");
        try (DTraceProvider provider = DTraceProvider.create(name)) {
            Probe probe = provider.addProbe("p", "char * case", "int value");
            provider.enable();
            BigInteger huge = BigInteger.TWO.pow(64).add(BigInteger.ONE);
            Map<String, String> seen = trace(name, probe, "printf(\"%s %ld\\n\", str(arg0), arg1);", List.of(
                    new Object[] {"nan", Double.NaN},
                    new Object[] {"floatnan", Float.NaN},
                    new Object[] {"inf", Double.POSITIVE_INFINITY},
                    new Object[] {"neginf", Float.NEGATIVE_INFINITY},
                    new Object[] {"e300", 1e300},
                    new Object[] {"bigint", huge},
                    new Object[] {"negbigint", huge.negate()},
                    new Object[] {"bigdec", new BigDecimal("1e30")},
                    // in range: not failures
                    new Object[] {"min", Long.MIN_VALUE},
                    new Object[] {"fraction", -2.9},
                    new Object[] {"edge", new BigInteger("-9223372036854775808")}));
            String max = Long.toString(Long.MAX_VALUE);
            String min = Long.toString(Long.MIN_VALUE);
            assertThat(seen).containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
                    Map.entry("nan", "nan 0"), Map.entry("floatnan", "floatnan 0"),
                    Map.entry("inf", "inf " + max), Map.entry("neginf", "neginf " + min),
                    Map.entry("e300", "e300 " + max), Map.entry("bigint", "bigint " + max),
                    Map.entry("negbigint", "negbigint " + min), Map.entry("bigdec", "bigdec " + max),
                    Map.entry("min", "min " + min), Map.entry("fraction", "fraction -2"),
                    Map.entry("edge", "edge " + min)));
            assertThat(probe.failureCount()).isEqualTo(8);
            assertThat(warnings(1)).containsExactly("DTrace probe \"p\" of provider \"" + name + "\": argument 2"
                    + " (int) got a java.lang.Double that is NaN; passed 0 (further problems with this probe are"
                    + " counted in failureCount(), not logged)");
        }
    }

    @Test
    void stringsWithNulsSurrogatesAndFailingToStringArriveAsDocumented() {
        String name = uniqueName("badstrings");
        try (DTraceProvider provider = DTraceProvider.create(name)) {
            Probe probe = provider.addProbe("p", "char * case", "char * a", "char * b");
            provider.enable();
            Map<String, String> seen = trace(name, probe,
                    "printf(\"%s|%s|%s|%d\\n\", str(arg0), str(arg1), str(arg2), arg2 == 0);", List.of(
                            new Object[] {"nul", "before\0after", "\0"},
                            new Object[] {"surrogates", "a\uD800b\uDC00c", "\uDBFF"},
                            new Object[] {"tostring", new UnprintableObject(), new NullString()},
                            new Object[] {"number", 42, 'x'}));
            assertThat(seen).containsExactlyInAnyOrderEntriesOf(Map.of(
                    "nul", "nul|before||0",
                    "surrogates", "surrogates|a?b?c|?|0",
                    "tostring", "tostring|||1",
                    "number", "number|42|x|0"));
            assertThat(probe.failureCount()).as("only the failing toString() fire").isEqualTo(1);
            assertThat(warnings(1)).singleElement().asString().contains("argument 2 (char *) got a "
                    + UnprintableObject.class.getName() + ": toString() threw " + UnprintableException.class.getName());
        }
    }

    @Test
    void megabyteStringsAreCutTo4095BytesOnACharacterBoundary() {
        String name = uniqueName("bigstrings");
        try (DTraceProvider provider = DTraceProvider.create(name)) {
            Probe probe = provider.addProbe("p", "char * case", "char * s", "json j");
            provider.enable();
            // bpftrace's str() reads at most 64 bytes: read the ends of the strings instead, where the cut is.
            String program = "printf(\"%s|%s|%s|%s\\n\", str(arg0), str(arg1 + 4090), str(arg2), str(arg2 + 4091));";
            String megabyte = "x".repeat(1 << 20);
            Map<String, String> seen = trace(name, probe, program, List.of(
                    new Object[] {"ascii", megabyte, List.of(megabyte)},
                    new Object[] {"twobyte", "é".repeat(1 << 19), "é".repeat(1 << 19)}));
            // ascii: bytes 4090..4094 are x, byte 4095 is the NUL; the JSON is cut the same way, mid-string
            assertThat(seen.get("ascii")).isEqualTo("ascii|xxxxx|[\"" + "x".repeat(61) + "|xxxx");
            // two-byte characters: 2047 of them are 4094 bytes, so byte 4094 is already the NUL; the JSON string
            // starts with a one-byte quote, so it ends with the 4095th byte
            assertThat(seen.get("twobyte")).isEqualTo("twobyte|éé|\"" + "é".repeat(31) + "|éé");
            assertThat(probe.failureCount()).as("cutting is documented, not a failure").isZero();
        }
    }

    @Test
    void jsonThatThrowsRecursesOrNeverEndsIsHandled() {
        String name = uniqueName("badjson");
        try (DTraceProvider provider = DTraceProvider.create(name)) {
            Probe probe = provider.addProbe("p", "char * case", "json value");
            provider.enable();
            List<Object> cycle = new ArrayList<>();
            cycle.add(cycle);
            Map<String, Object> selfMap = new HashMap<>();
            selfMap.put("me", selfMap);
            Iterable<Integer> endless = () -> new Iterator<>() {
                private int next;

                @Override
                public boolean hasNext() {
                    return true;
                }

                @Override
                public Integer next() {
                    return next++;
                }
            };
            List<Object[]> fires = List.of(
                    new Object[] {"throws", new UnprintableObject()},
                    new Object[] {"inmap", Map.of("key", new UnprintableObject())},
                    new Object[] {"cycle", cycle},
                    new Object[] {"selfmap", selfMap},
                    new Object[] {"endless", endless},
                    new Object[] {"nul", "a\0b"});
            Map<String, String> seen = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> trace(name, probe,
                    "printf(\"%s|%s|%d\\n\", str(arg0), str(arg1, 40), arg1 == 0);", fires));
            assertThat(seen).containsExactlyInAnyOrderEntriesOf(Map.of(
                    "throws", "throws||1",
                    "inmap", "inmap||1",
                    "cycle", "cycle|" + "[".repeat(32) + "\"...\"]]]|0",
                    "selfmap", "selfmap|" + "{\"me\":".repeat(6) + "{\"me|0",
                    "endless", "endless|" + "[0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16".substring(0, 40) + "|0",
                    "nul", "nul|\"a\\u0000b\"|0"));
            assertThat(probe.failureCount()).isEqualTo(2);
        }

        // An encoder that recurses without end (as a naive one does on a cycle) overflows the stack: caught.
        String recursing = uniqueName("recursingjson");
        JsonEncoder naive = new JsonEncoder() {
            @Override
            public String encode(Object value) throws Exception {
                return "[" + encode(value) + "]";
            }
        };
        try (DTraceProvider provider = DTraceProvider.builder(recursing).jsonEncoder(naive).build()) {
            Probe probe = provider.addProbe("p", "char * case", "json value");
            provider.enable();
            Map<String, String> seen = trace(recursing, probe, "printf(\"%s|%d\\n\", str(arg0), arg1 == 0);",
                    List.<Object[]>of(new Object[] {"overflow", List.of(1)}));
            assertThat(seen).containsExactly(Map.entry("overflow", "overflow|1"));
            assertThat(probe.failureCount()).isEqualTo(1);
            assertThat(warnings(2)).last().asString().contains("the JSON encoder threw java.lang.StackOverflowError");
        }
    }

    @Test
    void probesFiredFromInsideASupplierOrEncoderDoNotCorruptTheOuterFire() {
        String name = uniqueName("reentrant");
        try (DTraceProvider provider = DTraceProvider.create(name)) {
            Probe outer = provider.addProbe("outer", "char * case", "char * text", "json value", "int n");
            Probe inner = provider.addProbe("inner", "char * case", "char * text");
            provider.enable();
            Object firesInnerWhenEncoded = new Object() {
                @Override
                public String toString() {
                    inner.fire(() -> new Object[] {"inner", "from toString " + "y".repeat(5000)});
                    return "encoded";
                }
            };
            try (Bpftrace bpftrace = Bpftrace.attach(PID, "usdt::" + name + ":outer { printf(\"%s|%s|%s|%ld\\n\","
                    + " str(arg0), str(arg1), str(arg2), arg3); } usdt::" + name + ":inner { printf(\"%s|%s\\n\","
                    + " str(arg0), str(arg1, 20)); }")) {
                awaitArmed(outer, inner);
                outer.fire(() -> {
                    inner.fire(() -> new Object[] {"inner", "from supplier"});
                    return new Object[] {"outer", firesInnerWhenEncoded, List.of(firesInnerWhenEncoded), 7};
                });
                bpftrace.awaitLines(".*", 4, TIMEOUT);
                assertThat(bpftrace.stop()).containsExactlyInAnyOrder("inner|from supplier",
                        "inner|from toString yyyyyy", "inner|from toString yyyyyy", "outer|encoded|[\"encoded\"]|7");
            }
            assertThat(outer.failureCount() + inner.failureCount()).isZero();
        }
    }

    /** Fires each value array once with bpftrace attached and returns its lines by case name (the first value). */
    private static Map<String, String> trace(String provider, Probe probe, String action, List<Object[]> fires) {
        try (Bpftrace bpftrace = Bpftrace.attach(PID,
                "usdt::" + provider + ":" + probe.name() + " { " + action + " }")) {
            awaitArmed(probe);
            for (Object[] values : fires) {
                probe.fire(() -> values);
            }
            bpftrace.awaitLines(".*", fires.size(), TIMEOUT);
            Map<String, String> byCase = new HashMap<>();
            for (String line : bpftrace.stop()) {
                String key = line.split("[ |]", 2)[0];
                assertThat(byCase.put(key, line)).as("one line per case: " + line).isNull();
            }
            return byCase;
        }
    }

    /**
     * Waits until bpftrace set the semaphores, then a little longer: the kernel sets a semaphore when it registers
     * the uprobe, a moment before bpftrace's program is attached to it, and these tests count every line.
     */
    private static void awaitArmed(Probe... probes) {
        awaitTraced(probes);
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The warnings logged so far, once there are at least {@code count}. */
    private List<String> warnings(int count) {
        return log.awaitMessages(count);
    }

    /** An exception that cannot even describe itself. */
    static final class UnprintableException extends RuntimeException {

        @Override
        public String toString() {
            throw new UnprintableException();
        }

        @Override
        public String getMessage() {
            throw new UnprintableException();
        }
    }

    static final class UnprintableObject {

        @Override
        public String toString() {
            throw new UnprintableException();
        }
    }

    static final class NullString {

        @Override
        public String toString() {
            return null;
        }
    }
}
