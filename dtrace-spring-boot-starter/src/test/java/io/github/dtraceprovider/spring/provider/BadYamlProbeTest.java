package io.github.dtraceprovider.spring.provider;

import java.util.Collections;
import java.util.Map;

import io.github.dtraceprovider.core.DTraceProvider;
import io.github.dtraceprovider.spring.StarterAutoConfigurations;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.env.MapPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Probes declared under {@code dtrace.probes} with the faults a definition in code can have: the application fails
 * to start with Spring Boot's own report of an invalid property, naming {@code dtrace.probes.NAME} and saying what is
 * wrong, and the provider's name is free again afterwards.
 */
@ExtendWith(OutputCaptureExtension.class)
class BadYamlProbeTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(StarterAutoConfigurations.ALL)
            .withPropertyValues("dtrace.provider=badprobes");

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', textBlock = """
            dtrace.probes[order:placed] | int | dtrace.probes[order:placed] | Invalid probe name "order:placed"
            dtrace.probes[order placed] | int | dtrace.probes[order placed] | Invalid probe name "order placed"
            dtrace.probes[order*] | int | dtrace.probes[order*] | Invalid probe name "order*"
            dtrace.probes[ördér] | int | dtrace.probes[ördér] | Invalid probe name "ördér"
            dtrace.probes[9lives] | int | dtrace.probes.9lives | Invalid probe name "9lives"
            dtrace.probes.order-placed | int,float | dtrace.probes.order-placed | Unknown argument type "float"
            dtrace.probes.order-placed | int a,int a | dtrace.probes.order-placed | Duplicate argument name "a"
            dtrace.probes.order-placed | int 1st | dtrace.probes.order-placed | Invalid argument name "1st"
            dtrace.probes.order-placed[0] | '' | dtrace.probes.order-placed | Unknown argument type ""
            dtrace.probes.method-entry | int | dtrace.probes.method-entry | defines a probe named "method-entry"
            dtrace.probes.meter-counter | int | dtrace.probes.meter-counter | defines a probe named "meter-counter"
            dtrace.probes[http__request__done] | int | dtrace.probes[http__request__done] | defines a probe named "http__request__done"
            """)
    void badProbeFailsStartupNamingTheProperty(String key, String value, String name, String reason) {
        runner.withInitializer(context -> context.getEnvironment().getPropertySources()
                .addFirst(new MapPropertySource("bad probe", Map.of(key, value)))).run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context).getFailure().rootCause()
                            .isInstanceOf(InvalidConfigurationPropertyValueException.class)
                            .hasMessageContaining("Property " + name + " with value").hasMessageContaining(reason)
                            .message().doesNotContain("\n");
                });
        assertThat(DTraceProvider.create("badprobes")).as("the failed start freed the provider name")
                .satisfies(DTraceProvider::close);
    }

    @Test
    void tooLongNameAndTooManyArgumentsFailStartupNamingTheProperty() {
        String longName = "p".repeat(65);
        runner.withPropertyValues("dtrace.probes." + longName + "=int").run(context ->
                assertThat(context).getFailure().rootCause().hasMessageContaining("dtrace.probes." + longName)
                        .hasMessageContaining("1 to 64 characters"));
        runner.withPropertyValues("dtrace.probes.wide=" + String.join(",", Collections.nCopies(13, "int")))
                .run(context -> assertThat(context).getFailure().rootCause()
                        .hasMessageContaining("dtrace.probes.wide").hasMessageContaining("at most 12 are allowed"));
    }

    @Test
    void applicationYmlMistakeIsReportedLikeSpringBootsOwnBindingErrors(CapturedOutput output) {
        SpringApplication application = new SpringApplication(YamlApplication.class);
        assertThatThrownBy(() -> application.run("--spring.config.name=bad-probe"))
                .hasRootCauseInstanceOf(InvalidConfigurationPropertyValueException.class);
        assertThat(output).contains("APPLICATION FAILED TO START")
                .contains("Invalid value '[int orderId, float total]' for configuration property"
                        + " 'dtrace.probes.order-placed'. Validation failed for the following reason:")
                .contains("Unknown argument type \"float\" for argument 2 of probe \"order-placed\": allowed types"
                        + " are int, long, char *, string, json");
    }

    @Test
    void keyThatNeedsBracketsIsReportedInBracketsWithItsOrigin(CapturedOutput output) {
        SpringApplication application = new SpringApplication(YamlApplication.class);
        assertThatThrownBy(() -> application.run("--spring.config.name=bad-probe",
                "--dtrace.probes.order-placed=int", "--dtrace.probes[Order:Placed]=int"))
                .hasRootCauseInstanceOf(InvalidConfigurationPropertyValueException.class);
        assertThat(output).contains("APPLICATION FAILED TO START")
                .contains("Invalid value 'int' for configuration property 'dtrace.probes[Order:Placed]'"
                        + " (originating from '\"dtrace.probes[Order:Placed]\" from property source"
                        + " \"commandLineArgs\"')")
                .contains("Invalid probe name \"Order:Placed\" in provider \"badyaml\"");
    }

    /**
     * A key in the note spelling is no valid configuration property name: it is reported as written, so that Spring
     * Boot's failure analysis finds where it was written (on the command line Spring Boot tracks no origins).
     */
    @Test
    void noteNameKeyIsReportedAsWrittenWithItsOrigin(CapturedOutput output) {
        SpringApplication application = new SpringApplication(YamlApplication.class);
        assertThatThrownBy(() -> application.run("--spring.config.name=note-name-probe"))
                .hasRootCauseInstanceOf(InvalidConfigurationPropertyValueException.class);
        assertThat(output).contains("APPLICATION FAILED TO START")
                .contains("Invalid value 'int' for configuration property 'dtrace.probes.method__entry'"
                        + " (originating from 'class path resource [note-name-probe.yml] - 8:20')")
                .contains("the starter defines a probe named \"method__entry\" itself");
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class YamlApplication {
    }
}
