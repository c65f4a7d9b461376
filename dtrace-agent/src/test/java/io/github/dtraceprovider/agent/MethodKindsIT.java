package io.github.dtraceprovider.agent;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;

import example.shop.MethodKindsProgram;
import example.shop.MethodKindsProgram.Labelled;
import example.shop.MethodKindsProgram.Parcel;
import example.shop.MethodKindsProgram.Till;
import io.github.dtraceprovider.testing.Bpftrace;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Probes added to every kind of method a running program has: overloads, a constructor, a static method, an
 * interface's default method, a method whose work a lambda does, a method that sometimes throws, and calls made on
 * virtual threads. One program runs for the whole class and gets a probe of another name in each test; bpftrace's
 * values are checked against what the program printed for the same call, and each probe, once removed, fires
 * nothing more while the program runs on.
 */
class MethodKindsIT {

    private static final Duration START = Duration.ofSeconds(60);
    private static final Duration AWAIT = Duration.ofSeconds(10);
    
    private static final Set<String> printed = ConcurrentHashMap.newKeySet();
    private static final AtomicLong round = new AtomicLong(-1);
    private static Process program;

    @BeforeAll
    static void startProgram() {
        try {
            program = new ProcessBuilder(AgentJar.JAVA, "-cp", "target/test-classes", MethodKindsProgram.class.getName())
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError("cannot start " + MethodKindsProgram.class.getName(), e);
        }
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(
                    new InputStreamReader(program.getInputStream(), StandardCharsets.UTF_8))) {
                in.lines().forEach(line -> {
                    printed.add(line);
                    if (line.startsWith("round ")) {
                        round.set(Long.parseLong(line.substring("round ".length())));
                    }
                });
            } catch (IOException e) {
                // the program ended
            }
        }, "method-kinds-program-output");
        reader.setDaemon(true);
        reader.start();
        await().atMost(START).until(() -> round.get() >= 0);
    }

    @AfterAll
    static void stopProgram() throws InterruptedException, IOException {
        if (program != null) {
            program.getOutputStream().close();
            if (!program.waitFor(10, TimeUnit.SECONDS)) {
                program.destroy();
            }
        }
    }

    @Test
    void aNameWithoutTypesProbesEveryOverload() throws Exception {
        Bpftrace.assumeAvailable();
        assertThat(agent("--probe", "priced", "--method", Till.class.getName() + "#price", "--args", "arg0,return"))
                .startsWith("added dynamic:priced(").contains(", 2 method(s), at ");
        try (Bpftrace bpftrace = Bpftrace.attach(program.pid(),
                "usdt::dynamic:priced { printf(\"priced %ld|%s\\n\", arg0, str(arg1)); }")) {
            Matcher plain = fields(bpftrace.awaitLine("priced \\d+\\|\\d+", AWAIT), "priced (\\d+)\\|(\\d+)");
            awaitPrinted("price(" + plain.group(1) + ") = " + plain.group(2));
            Matcher inCurrency = fields(bpftrace.awaitLine("priced \\d+\\|\\d+ [A-Z]{3}", AWAIT),
                    "priced (\\d+)\\|(\\d+ ([A-Z]{3}))");
            awaitPrinted("price(" + inCurrency.group(1) + ", " + inCurrency.group(3) + ") = " + inCurrency.group(2));

            assertRemovedFiresNothing("priced", bpftrace);
        }
    }

    @Test
    void parameterTypesSelectOneOverload() throws Exception {
        Bpftrace.assumeAvailable();
        assertThat(agent("--probe", "priced_in_currency", "--method",
                Till.class.getName() + "#price(long,java.lang.String)", "--args", "arg0,arg1,return"))
                .startsWith("added dynamic:priced_in_currency(").contains(", 1 method(s), at ");
        try (Bpftrace bpftrace = Bpftrace.attach(program.pid(), "usdt::dynamic:priced_in_currency { "
                + "printf(\"priced %ld|%s|%s\\n\", arg0, str(arg1), str(arg2)); }")) {
            for (String line : bpftrace.awaitLines("priced .*", 5, AWAIT)) {
                Matcher call = fields(line, "priced (\\d+)\\|([A-Z]{3})\\|(\\d+ \\2)");
                awaitPrinted("price(" + call.group(1) + ", " + call.group(2) + ") = " + call.group(3));
            }
            assertRemovedFiresNothing("priced_in_currency", bpftrace);
        }
    }

    @Test
    void aConstructorsProbeFiresAtEntryEvenWhenItThrows() throws Exception {
        Bpftrace.assumeAvailable();
        assertThat(agent("--probe", "parcel_new", "--method", Parcel.class.getName() + "#<init>",
                "--args", "arg0,arg1")).startsWith("added dynamic:parcel_new(").contains(", 1 method(s), at ");
        try (Bpftrace bpftrace = Bpftrace.attach(program.pid(),
                "usdt::dynamic:parcel_new { printf(\"parcel %ld|%s\\n\", arg0, str(arg1)); }")) {
            // a dozen consecutive parcels: two of them are refused
            List<String> lines = bpftrace.awaitLines("parcel .*", 12, AWAIT);
            for (String line : lines) {
                Matcher call = fields(line, "parcel (\\d+)\\|(.*)");
                awaitPrinted(call.group(2).isEmpty() ? "parcel " + call.group(1) + " refused"
                        : "parcel " + call.group(1) + " to " + call.group(2));
            }
            assertThat(lines).as("calls that threw").anyMatch(line -> line.endsWith("|"));

            assertRemovedFiresNothing("parcel_new", bpftrace);
        }
    }

    @Test
    void aConstructorsProbeAtReturnFiresOnlyWhenItReturns() throws Exception {
        Bpftrace.assumeAvailable();
        assertThat(refused("--probe", "parcel_failed", "--method", Parcel.class.getName() + "#<init>",
                "--args", "arg0,thrown")).contains("fires at its normal return only");
        assertThat(agent("--probe", "parcel_built", "--method",
                Parcel.class.getName() + "#<init>(long,java.lang.String)", "--args", "arg0,arg1,elapsedNanos"))
                .startsWith("added dynamic:parcel_built(").contains(", 1 method(s), at ");
        try (Bpftrace bpftrace = Bpftrace.attach(program.pid(), "usdt::dynamic:parcel_built { "
                + "printf(\"built %ld|%s|%ld\\n\", arg0, str(arg1), arg2); }")) {
            List<Long> built = new ArrayList<>();
            for (String line : bpftrace.awaitLines("built .*", 10, AWAIT)) {
                Matcher call = fields(line, "built (\\d+)\\|(\\w+)\\|(\\d+)");
                awaitPrinted("parcel " + call.group(1) + " to " + call.group(2));
                assertThat(Long.parseLong(call.group(3))).as("elapsedNanos").isPositive();
                built.add(Long.parseLong(call.group(1)));
            }
            List<Long> refusedMeanwhile = LongStream.rangeClosed(built.get(0), built.get(built.size() - 1))
                    .filter(id -> printed.contains("parcel " + id + " refused")).boxed().toList();
            assertThat(refusedMeanwhile).as("parcels refused while traced").isNotEmpty();
            assertThat(built).doesNotContainAnyElementsOf(refusedMeanwhile);

            assertRemovedFiresNothing("parcel_built", bpftrace);
        }
    }

    @Test
    void aStaticMethodKeepsOneProbeWhenTheOtherIsRemoved() throws Exception {
        Bpftrace.assumeAvailable();
        String method = MethodKindsProgram.class.getName() + "#checksum";
        assertThat(agent("--probe", "checksum_in", "--method", method, "--args", "arg0"))
                .startsWith("added dynamic:checksum_in(").contains(", 1 method(s), at ");
        assertThat(agent("--probe", "checksum_out", "--method", method, "--args", "arg0,return"))
                .startsWith("added dynamic:checksum_out(").contains(", 1 method(s), at ");
        try (Bpftrace bpftrace = Bpftrace.attach(program.pid(), "usdt::dynamic:checksum_in { "
                + "printf(\"in %ld\\n\", arg0); } usdt::dynamic:checksum_out { printf(\"out %ld|%ld\\n\", arg0, arg1); }")) {
            String entered = bpftrace.awaitLine("in \\d+", AWAIT).substring("in ".length());
            await().atMost(AWAIT).alias("the program printed checksum(" + entered + ")")
                    .until(() -> printed.stream().anyMatch(line -> line.startsWith("checksum(" + entered + ") = ")));
            Matcher returned = fields(bpftrace.awaitLine("out .*", AWAIT), "out (\\d+)\\|(\\d+)");
            awaitPrinted("checksum(" + returned.group(1) + ") = " + returned.group(2));

            assertThat(agent("--remove", "checksum_in")).startsWith("removed checksum_in");
            awaitRounds(10);
            long in = count(bpftrace, "in ");
            long out = count(bpftrace, "out ");
            awaitRounds(50);
            assertThat(count(bpftrace, "in ")).as("entries after checksum_in was removed").isEqualTo(in);
            assertThat(count(bpftrace, "out ")).as("returns while checksum_out stays").isGreaterThan(out);

            assertRemovedFiresNothing("checksum_out", bpftrace);
        }
    }

    @Test
    void anInterfacesDefaultMethodIsProbedOnTheInterface() throws Exception {
        Bpftrace.assumeAvailable();
        assertThat(agent("--probe", "labelled", "--method", Labelled.class.getName() + "#label",
                "--args", "arg0,return")).startsWith("added dynamic:labelled(").contains(", 1 method(s), at ");
        try (Bpftrace bpftrace = Bpftrace.attach(program.pid(),
                "usdt::dynamic:labelled { printf(\"label %s|%s\\n\", str(arg0), str(arg1)); }")) {
            Matcher call = fields(bpftrace.awaitLine("label .*", AWAIT), "label ([\\w-]+)\\|\\1/([\\w-]+)");
            awaitPrinted("label(" + call.group(1) + ") of " + call.group(2) + " = " + call.group(1) + "/"
                    + call.group(2));

            assertRemovedFiresNothing("labelled", bpftrace);
        }
    }

    @Test
    void aProbeOnTheMethodEnclosingALambdaSeesWhatTheLambdaComputed() throws Exception {
        Bpftrace.assumeAvailable();
        // one method: the lambda's body, a synthetic method of its own, is not "total"
        assertThat(agent("--probe", "totalled", "--method", MethodKindsProgram.class.getName() + "#total",
                "--args", "arg0,arg1,return")).startsWith("added dynamic:totalled(").contains(", 1 method(s), at ");
        try (Bpftrace bpftrace = Bpftrace.attach(program.pid(),
                "usdt::dynamic:totalled { printf(\"total %ld|%ld|%ld\\n\", arg0, arg1, arg2); }")) {
            for (String line : bpftrace.awaitLines("total .*", 5, AWAIT)) {
                Matcher call = fields(line, "total (\\d+)\\|(\\d+)\\|(\\d+)");
                awaitPrinted("total(" + call.group(1) + ", " + call.group(2) + ") = " + call.group(3));
            }
            assertRemovedFiresNothing("totalled", bpftrace);
        }
    }

    /** Needs thrown as "" for a call that returned: the typed-arguments rework. */
    @Test
    void aMethodThatSometimesThrowsFiresAtEitherExit() throws Exception {
        Bpftrace.assumeAvailable();
        assertThat(agent("--probe", "parsed", "--method", MethodKindsProgram.class.getName() + "#parse",
                "--args", "arg0,thrown")).startsWith("added dynamic:parsed(").contains(", 1 method(s), at ");
        try (Bpftrace bpftrace = Bpftrace.attach(program.pid(),
                "usdt::dynamic:parsed { printf(\"parsed %s|%s\\n\", str(arg0), str(arg1)); }")) {
            Matcher threw = fields(bpftrace.awaitLine("parsed .*\\|java\\..+", AWAIT), "parsed (.*)\\|(.+)");
            awaitPrinted("parse(" + threw.group(1) + ") threw " + threw.group(2));
            Matcher returned = fields(bpftrace.awaitLine("parsed .*\\|", AWAIT), "parsed (.*)\\|");
            awaitPrinted("parse(" + returned.group(1) + ") = " + returned.group(1));

            assertRemovedFiresNothing("parsed", bpftrace);
        }
    }

    @Test
    void callsOnVirtualThreadsFire() throws Exception {
        assumeTrue(Runtime.version().feature() >= 21, "virtual threads exist from Java 21; this JVM is "
                + Runtime.version());
        Bpftrace.assumeAvailable();
        assertThat(printed).contains("virtual threads: true");
        assertThat(agent("--probe", "tracked", "--method", MethodKindsProgram.class.getName() + "#track",
                "--args", "arg0,return")).startsWith("added dynamic:tracked(").contains(", 1 method(s), at ");
        try (Bpftrace bpftrace = Bpftrace.attach(program.pid(),
                "usdt::dynamic:tracked { printf(\"tracked %ld|%s\\n\", arg0, str(arg1)); }")) {
            for (String line : bpftrace.awaitLines("tracked .*", 12, AWAIT)) {
                Matcher call = fields(line, "tracked (\\d+)\\|(parcel \\1 tracked on a virtual thread)");
                awaitPrinted(call.group(2));
            }
            assertRemovedFiresNothing("tracked", bpftrace);
        }
    }

    /** Needs parameter names and :TYPE: the typed-arguments rework. */
    @Test
    void parametersAreNamedAndTyped() throws Exception {
        Bpftrace.assumeAvailable();
        assertThat(agent("--probe", "priced_by_name", "--method",
                Till.class.getName() + "#price(long,java.lang.String)", "--args", "quantity:int,currency,return:string"))
                .startsWith("added dynamic:priced_by_name(").contains(", 1 method(s), at ");
        try (Bpftrace bpftrace = Bpftrace.attach(program.pid(), "usdt::dynamic:priced_by_name { "
                + "printf(\"priced %ld|%s|%s\\n\", arg0, str(arg1), str(arg2)); }")) {
            Matcher call = fields(bpftrace.awaitLine("priced .*", AWAIT), "priced (\\d+)\\|([A-Z]{3})\\|(\\d+ \\2)");
            awaitPrinted("price(" + call.group(1) + ", " + call.group(2) + ") = " + call.group(3));

            assertRemovedFiresNothing("priced_by_name", bpftrace);
        }
    }

    /**
     * Removes the probe, lets calls already under way finish, then checks that bpftrace prints nothing more while the
     * program runs on.
     */
    private static void assertRemovedFiresNothing(String probe, Bpftrace bpftrace) throws Exception {
        assertThat(agent("--remove", probe)).startsWith("removed " + probe);
        awaitRounds(10);
        int fired = bpftrace.output().size();
        awaitRounds(50);
        assertThat(bpftrace.output()).as("bpftrace's lines after " + probe + " was removed").hasSize(fired);
    }

    private static void awaitRounds(int rounds) {
        long target = round.get() + rounds;
        await().atMost(AWAIT).until(() -> round.get() >= target);
    }

    /** The program prints after the call returned, maybe after bpftrace did. */
    private static void awaitPrinted(String line) {
        await().atMost(AWAIT).alias("the program printed '" + line + "'").until(() -> printed.contains(line));
    }

    private static Matcher fields(String line, String regex) {
        Matcher matcher = Pattern.compile(regex).matcher(line);
        assertThat(matcher.matches()).as("'" + line + "' matches /" + regex + "/").isTrue();
        return matcher;
    }

    private static long count(Bpftrace bpftrace, String prefix) {
        return bpftrace.output().stream().filter(line -> line.startsWith(prefix)).count();
    }

    private static String agent(String... request) throws IOException, InterruptedException {
        return AgentJar.attach(program.pid(), request);
    }

    private static String refused(String... request) throws IOException, InterruptedException {
        return AgentJar.refused(program.pid(), request);
    }
}
