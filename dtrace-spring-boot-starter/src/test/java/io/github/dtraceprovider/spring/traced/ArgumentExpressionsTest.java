package io.github.dtraceprovider.spring.traced;

import java.lang.reflect.Method;
import java.util.List;

import io.github.dtraceprovider.core.DTraceProvider;
import io.github.dtraceprovider.core.Probe;
import io.github.dtraceprovider.spring.Traced;
import io.github.dtraceprovider.test.ProbeRecorder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Attaching a tracer (a recorder here) runs a {@code @Traced} method's argument expressions; they read the call's
 * values and cannot change what the application does.
 */
class ArgumentExpressionsTest {

    private final DTraceProvider provider = DTraceProvider.create("argument_expressions_test");
    private final Probe probe = provider.addProbe("p", "char * value");
    private final Customer customer = new Customer("ada", List.of("tea", "cake"));
    private ProbeRecorder recorder;

    @BeforeEach
    void traced() {
        provider.enable();
        recorder = ProbeRecorder.attach(provider);
    }

    @AfterEach
    void close() {
        recorder.close();
        provider.close();
    }

    @ParameterizedTest
    @CsvSource({ "reads, ada", "callsAnInstanceMethod, 2", "callsARecordAccessor, ada" })
    void readsAreFired(String method, String fired) {
        fire(method);
        assertThat(recorder.fires("p")).extracting(fire -> fire.arg("value")).containsExactly(fired);
        assertThat(probe.failureCount()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = { "sleeps", "constructs", "assigns", "namesABean", "reflects" })
    void anythingElseFailsAndChangesNothing(String method) {
        fire(method);
        assertThat(recorder.fires()).isEmpty();
        assertThat(probe.failureCount()).isOne();
        assertThat(customer.getName()).isEqualTo("ada");
    }

    private void fire(String name) {
        Method method = method(name);
        ApplicationProbeCall call = ApplicationProbeCall.prepare(method.getAnnotation(Traced.class), method, provider,
                "@Traced on Expressions." + name);
        assertThat(call).as(name + " prepared").isNotNull();
        call.fire(new Object[] {customer}, null);
    }

    private static Method method(String name) {
        try {
            return Expressions.class.getMethod(name, Customer.class);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
    }

    interface Expressions {
        @Traced(probe = "p", args = "#customer.name")
        void reads(Customer customer);

        @Traced(probe = "p", args = "#p0.orders.size()")
        void callsAnInstanceMethod(Customer customer);

        @Traced(probe = "p", args = "#customer.asRecord().name()")
        void callsARecordAccessor(Customer customer);

        @Traced(probe = "p", args = "T(java.lang.Thread).sleep(1500)")
        void sleeps(Customer customer);

        @Traced(probe = "p", args = "new java.util.ArrayList()")
        void constructs(Customer customer);

        @Traced(probe = "p", args = "#customer.name = 'mallory'")
        void assigns(Customer customer);

        @Traced(probe = "p", args = "@customers")
        void namesABean(Customer customer);

        @Traced(probe = "p", args = "#customer.getClass().getClassLoader()")
        void reflects(Customer customer);
    }

    public static final class Customer {
        private String name;
        private final List<String> orders;

        Customer(String name, List<String> orders) {
            this.name = name;
            this.orders = orders;
        }

        public String getName() {
            return name;
        }

        public void setName(String name) {
            this.name = name;
        }

        public List<String> getOrders() {
            return orders;
        }

        public CustomerRecord asRecord() {
            return new CustomerRecord(name);
        }
    }

    public record CustomerRecord(String name) {
    }
}
