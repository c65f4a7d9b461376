package io.github.dtraceprovider.agent;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import javax.tools.ToolProvider;

import example.shop.Plugin;
import example.shop.PluginHost;
import example.shop.ProbedProgram;
import io.github.dtraceprovider.testing.Bpftrace;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A running program with no probes gets one on a method through {@code java -jar dtrace-agent.jar attach}, bpftrace
 * prints its arguments, and once removed the method runs as before and fires nothing.
 */
class AddedProbeIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    
    private final List<String> output = new CopyOnWriteArrayList<>();
    private Process program;

    @AfterEach
    void stop() throws InterruptedException {
        if (program != null) {
            program.destroy();
            program.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aProbeAddedToARunningProgramsMethodFiresUntilRemoved() throws Exception {
        Bpftrace.assumeAvailable();
        start(ProbedProgram.class.getName());

        assertThat(agent("--probe", "found", "--method", ProbedProgram.class.getName() + "#find",
                "--args", "arg0,arg1")).startsWith("added dynamic:found(int arg0, char * arg1) on "
                + ProbedProgram.class.getName() + "#find, 1 method(s), at entry");
        try (Bpftrace bpftrace = Bpftrace.attach(program.pid(),
                "usdt::dynamic:found { printf(\"found %ld %s\\n\", arg0, str(arg1)); }")) {
            String line = bpftrace.awaitLine("found \\d+ customer-\\d", TIMEOUT);
            long id = Long.parseLong(line.split(" ")[1]);
            assertThat(line).isEqualTo("found " + id + " customer-" + id % 3);

            assertThat(agent("--remove", "found")).startsWith("removed found");
            int printed = bpftrace.output().size();
            int ran = output.size();
            await().atMost(TIMEOUT).until(() -> output.size() > ran + 100);
            assertThat(bpftrace.output()).hasSize(printed);
        }
        assertThat(output.get(output.size() - 1)).matches("order \\d+ of customer-\\d");
    }

    @Test
    void aProbeAtReturnReadsTheResultTheTimeTakenAndPathsIntoTheArguments() throws Exception {
        Bpftrace.assumeAvailable();
        start(ProbedProgram.class.getName());

        agent("--probe", "described", "--method", ProbedProgram.class.getName() + "#describe",
                "--args", "arg0.customer.name,arg0.id,return,elapsedNanos");
        try (Bpftrace bpftrace = Bpftrace.attach(program.pid(), "usdt::dynamic:described { "
                + "printf(\"%s|%s|%s|%ld\\n\", str(arg0), str(arg1), str(arg2), arg3); }")) {
            String[] fields = bpftrace.awaitLine("customer-\\d\\|\\d+\\|order .*\\|\\d+", TIMEOUT).split("\\|");
            long id = Long.parseLong(fields[1]);
            assertThat(fields[0]).isEqualTo("customer-" + id % 3);
            assertThat(fields[2]).isEqualTo("order " + id + " of customer-" + id % 3);
            assertThat(Long.parseLong(fields[3])).isPositive();
        }
    }

    @Test
    void anExpressionThatFailsWhileTracedCountsAFailureAndTheProgramRunsOn() throws Exception {
        Bpftrace.assumeAvailable();
        start(ProbedProgram.class.getName());

        // Customer has no property "address": only the run time can tell, so attach accepts it
        agent("--probe", "broken", "--method", ProbedProgram.class.getName() + "#describe",
                "--args", "arg0.id,arg0.customer.address");
        try (Bpftrace bpftrace = Bpftrace.attach(program.pid(), "usdt::dynamic:broken { printf(\"fired\\n\"); }")) {
            await().atMost(TIMEOUT).until(() -> agent("list").matches(".*, failed [1-9]\\d*"));
            assertThat(bpftrace.output()).doesNotContain("fired");
        }
        int ran = output.size();
        await().atMost(TIMEOUT).until(() -> output.size() > ran + 10);
        assertThat(output.get(output.size() - 1)).matches("order \\d+ of customer-\\d");
    }

    @Test
    void aBadRequestIsRefusedAtAttachTime() throws Exception {
        start(ProbedProgram.class.getName());

        assertThat(refused("--probe", "p", "--method", "java.lang.String#length"))
                .isEqualTo("error: java.lang.String cannot be probed: the JDK's classes and this project's are left "
                        + "alone");
        assertThat(refused("--probe", "p", "--method", ProbedProgram.class.getName() + "#nothing"))
                .startsWith("error: no method matches").contains("declares <init>, describe, find, main");
        assertThat(refused("--probe", "p", "--method", ProbedProgram.class.getName() + "#find", "--args", "arg2"))
                .contains("ProbedProgram#find has 2 parameter(s)");
        assertThat(refused("--probe", "p", "--method", ProbedProgram.class.getName() + "#find", "--args", "arg0()"))
                .contains("is not ROOT[.name...][:int|string|json]");
        assertThat(program.isAlive()).isTrue();
    }

    @Test
    void aProbedClassesLoaderIsCollectedOnceTheApplicationDropsItEvenWithTheProbeInPlace() throws Exception {
        Bpftrace.assumeAvailable();
        start(PluginHost.class.getName());

        assertThat(agent("--probe", "plugin_work", "--method", Plugin.class.getName() + "#work", "--args", "arg0"))
                .startsWith("added dynamic:plugin_work(int arg0)");
        try (Bpftrace bpftrace = Bpftrace.attach(program.pid(),
                "usdt::dynamic:plugin_work { printf(\"work %ld\\n\", arg0); }")) {
            String line = bpftrace.awaitLine("work \\d+", TIMEOUT);
            // the probe fires on entry; the program prints the result after the call
            await().atMost(TIMEOUT).until(() -> output.contains("plugin " + line));
        }
        program.getOutputStream().write("drop\n".getBytes(StandardCharsets.UTF_8));
        program.getOutputStream().flush();
        await().atMost(TIMEOUT).until(() -> output.contains("collected") || output.contains("kept"));
        assertThat(output).contains("collected");
    }

    @Test
    void aClassWhoseLoaderCannotFindTheAgentIsRefused() throws Exception {
        start(PluginHost.class.getName(), "isolated");

        assertThat(refused("--probe", "p", "--method", Plugin.class.getName() + "#work"))
                .contains("does not delegate to the system class loader");
        int ran = output.size();
        await().atMost(TIMEOUT).until(() -> output.size() > ran + 10);
        assertThat(output.get(output.size() - 1)).matches("plugin work \\d+");
    }

    @Test
    void theCommandLooksBeforeItSignalsAProcessThatIsNoJvm() throws Exception {
        // the Attach API's first step, SIGQUIT, would end a process that is not a JVM
        Process sleep = new ProcessBuilder("sleep", "60").start();
        try {
            assertThat(AgentJar.refused(sleep.pid(), "list")).isEqualTo("error: process " + sleep.pid()
                    + " is not a Java virtual machine (it has no libjvm.so mapped)");
            assertThat(sleep.isAlive()).isTrue();
        } finally {
            sleep.destroy();
        }
        Process done = new ProcessBuilder("true").start();
        done.waitFor();
        assertThat(AgentJar.refused(done.pid(), "list")).isEqualTo("error: no process " + done.pid());
    }

    @Test
    void fromTheStartTheAgentAddsNothingUntilAProbeIsAdded() throws Exception {
        Bpftrace.assumeAvailable();
        startWith(List.of("-javaagent:target/dtrace-agent.jar"), ProbedProgram.class.getName());
        Path maps = Path.of("/proc", Long.toString(program.pid()), "maps");
        assertThat(Files.readString(maps)).doesNotContain("/dynamic.");

        agent("--probe", "found", "--method", ProbedProgram.class.getName() + "#find", "--args", "arg0");
        assertThat(Files.readString(maps)).contains("/dynamic.");
        try (Bpftrace bpftrace = Bpftrace.attach(program.pid(),
                "usdt::dynamic:found { printf(\"found %ld\\n\", arg0); }")) {
            bpftrace.awaitLine("found \\d+", TIMEOUT);
        }
    }

    @Test
    void aClassInANamedModuleIsProbed(@TempDir Path modules) throws Exception {
        Bpftrace.assumeAvailable();
        Path source = modules.resolve("src");
        Files.createDirectories(source.resolve("shop/modular"));
        Files.writeString(source.resolve("module-info.java"), "module shop.modular { }");
        Files.writeString(source.resolve("shop/modular/Counter.java"), """
                package shop.modular;

                public final class Counter {
                    public static long next(long n) {
                        return n + 1;
                    }

                    public static void main(String[] args) throws Exception {
                        Thread watcher = new Thread(() -> {
                            try {
                                while (System.in.read() >= 0) { }
                            } catch (java.io.IOException e) { }
                            System.exit(0);
                        });
                        watcher.setDaemon(true);
                        watcher.start();
                        System.out.println("ready");
                        for (long n = 0; ; n = next(n)) {
                            System.out.println("counted " + n);
                            Thread.sleep(5);
                        }
                    }
                }
                """);
        Path classes = modules.resolve("classes");
        int compiled = ToolProvider.getSystemJavaCompiler().run(null, null, null, "--release", "17", "-d",
                classes.toString(), source.resolve("module-info.java").toString(),
                source.resolve("shop/modular/Counter.java").toString());
        assertThat(compiled).isZero();
        program = new ProcessBuilder(AgentJar.JAVA, "-p", classes.toString(), "-m", "shop.modular/shop.modular.Counter")
                .redirectErrorStream(true).start();
        collect(program, output);
        await().atMost(TIMEOUT).until(() -> output.contains("ready"));

        assertThat(refused("--probe", "counted", "--method", "shop.modular.Counter#next", "--args", "n"))
                .isEqualTo("error: n: Counter#next has no parameter named n (its class was compiled without "
                        + "-parameters: use arg0)");
        agent("--probe", "counted", "--method", "shop.modular.Counter#next", "--args", "arg0");
        try (Bpftrace bpftrace = Bpftrace.attach(program.pid(),
                "usdt::dynamic:counted { printf(\"next %ld\\n\", arg0); }")) {
            String line = bpftrace.awaitLine("next \\d+", TIMEOUT);
            await().atMost(TIMEOUT).until(() -> output.contains("counted " + line.substring("next ".length())));
        }
        int ran = output.size();
        await().atMost(TIMEOUT).until(() -> output.size() > ran + 10);
        assertThat(output).noneMatch(printed -> printed.contains("Error"));
    }

    /** Starts a program of the test classes and waits until it says it is ready. */
    private void start(String... mainClassAndArguments) throws IOException {
        startWith(List.of(), mainClassAndArguments);
    }

    private void startWith(List<String> jvmOptions, String... mainClassAndArguments) throws IOException {
        List<String> command = new ArrayList<>(List.of(AgentJar.JAVA));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", "target/test-classes"));
        command.addAll(List.of(mainClassAndArguments));
        program = new ProcessBuilder(command).redirectErrorStream(true).start();
        collect(program, output);
        await().atMost(TIMEOUT).until(() -> output.contains("ready"));
    }

    private static void collect(Process process, List<String> lines) {
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                in.lines().forEach(lines::add);
            } catch (IOException e) {
                // the process ended
            }
        }, "probed-program-output");
        reader.setDaemon(true);
        reader.start();
    }

    private String agent(String... request) throws IOException, InterruptedException {
        return AgentJar.attach(program.pid(), request);
    }

    private String refused(String... request) throws IOException, InterruptedException {
        return AgentJar.refused(program.pid(), request);
    }
}
