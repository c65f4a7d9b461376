package io.github.dtraceprovider.agent.weaving;

import java.lang.reflect.Method;
import java.util.List;

import io.github.dtraceprovider.core.ArgType;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ArgumentExpressionTest {

    record Customer(String name) {
    }

    static class Order {
        private final long id;
        private final Customer customer;

        Order(long id, Customer customer) {
            this.id = id;
            this.customer = customer;
        }

        public Customer getCustomer() {
            return customer;
        }
    }

    static String place(Order order, int quantity, boolean express) {
        return "placed";
    }

    static String place(String sku, Order order) {
        return "placed";
    }

    private static final Method PLACE = method(Order.class, int.class, boolean.class);
    private static final Method PLACE_SKU = method(String.class, Order.class);

    @Test
    void typesFollowTheDeclaredTypeUnlessGiven() {
        assertThat(ArgumentExpression.parse("arg1").probeType(List.of(PLACE))).isEqualTo(ArgType.INT);
        assertThat(ArgumentExpression.parse("express").probeType(List.of(PLACE))).isEqualTo(ArgType.INT);
        assertThat(ArgumentExpression.parse("arg0").probeType(List.of(PLACE))).isEqualTo(ArgType.STRING);
        assertThat(ArgumentExpression.parse("order.id").probeType(List.of(PLACE))).isEqualTo(ArgType.STRING);
        assertThat(ArgumentExpression.parse("order.id:int").probeType(List.of(PLACE))).isEqualTo(ArgType.INT);
        assertThat(ArgumentExpression.parse("order:json").probeType(List.of(PLACE))).isEqualTo(ArgType.JSON);
        assertThat(ArgumentExpression.parse("elapsedNanos").probeType(List.of(PLACE))).isEqualTo(ArgType.INT);
        assertThatIllegalArgumentException().isThrownBy(() -> ArgumentExpression.parse("order:int").probeType(List.of(PLACE)))
                .withMessage("order:int: " + Order.class.getName() + " is not a number");
    }

    @Test
    void parametersAreFoundByPositionOrByName() {
        assertThat(ArgumentExpression.parse("quantity").parameterIndex(PLACE)).isEqualTo(1);
        assertThat(ArgumentExpression.parse("order.customer.name").parameterIndex(PLACE_SKU)).isEqualTo(1);
        assertThatIllegalArgumentException().isThrownBy(() -> ArgumentExpression.parse("arg3").parameterIndex(PLACE))
                .withMessage("arg3: ArgumentExpressionTest#place has 3 parameter(s)");
        assertThatIllegalArgumentException().isThrownBy(() -> ArgumentExpression.parse("sku").parameterIndex(PLACE))
                .withMessage("sku: ArgumentExpressionTest#place has no parameter named sku");
    }

    @Test
    void probeArgumentNamesAreCIdentifiers() {
        assertThat(ArgumentExpression.parse("order.customer.name").probeArgumentName()).isEqualTo("order_customer_name");
        assertThat(ArgumentExpression.parse("return").probeArgumentName()).isEqualTo("returned");
        assertThat(ArgumentExpression.parse("return.id:int").probeArgumentName()).isEqualTo("return_id");
        assertThat(ArgumentExpression.parse("arg0:json").probeArgumentName()).isEqualTo("arg0");
    }

    @Test
    void valuesAreReadThroughGettersAccessorsAndFields() throws Exception {
        Object[] arguments = {new Order(7, new Customer("ada")), 3, true};
        assertThat(value("order.customer.name", ArgType.STRING, 0, arguments)).isEqualTo("ada");
        assertThat(value("order.id", ArgType.INT, 0, arguments)).isEqualTo(7L);
        assertThat(value("express", ArgType.INT, 2, arguments)).isEqualTo(1L);
        assertThat(value("order.customer", ArgType.JSON, 0, arguments)).isEqualTo(new Customer("ada"));
        assertThatThrownBy(() -> value("order.customer.name", ArgType.STRING, 0, new Object[] {new Order(7, null)}))
                .isInstanceOf(NullPointerException.class).hasMessage(".name of null");
        assertThatThrownBy(() -> value("order.nothing", ArgType.STRING, 0, arguments))
                .isInstanceOf(NoSuchFieldException.class);
    }

    @Test
    void aCallThatThrewReturnedNothingAndNamesWhatItThrew() throws Exception {
        IllegalStateException thrown = new IllegalStateException();
        assertThat(ArgumentExpression.parse("return").value(ArgType.STRING, -1, new Object[0], null, thrown, 5))
                .isEqualTo("");
        assertThat(ArgumentExpression.parse("return").value(ArgType.INT, -1, new Object[0], null, thrown, 5))
                .isEqualTo(0L);
        assertThat(ArgumentExpression.parse("thrown").value(ArgType.STRING, -1, new Object[0], null, thrown, 5))
                .isEqualTo(IllegalStateException.class.getName());
        assertThat(ArgumentExpression.parse("thrown").value(ArgType.STRING, -1, new Object[0], "ok", null, 5))
                .isEqualTo("");
        assertThat(ArgumentExpression.parse("elapsedNanos").value(ArgType.INT, -1, new Object[0], "ok", null, 5))
                .isEqualTo(5L);
    }

    @Test
    void badSyntaxIsRefusedWithTheFormItMustHave() {
        for (String bad : List.of("arg0()", "arg0..id", "order.", "elapsedNanos.x", "arg0:long", "1x", "")) {
            assertThatIllegalArgumentException().as(bad).isThrownBy(() -> ArgumentExpression.parse(bad))
                    .withMessageContaining("argument '" + bad + "'");
        }
        assertThat(ArgumentExpression.parseAll(" ")).isEmpty();
        assertThat(ArgumentExpression.parseAll("arg0, return:json")).extracting(ArgumentExpression::text)
                .containsExactly("arg0", "return:json");
    }

    private static Object value(String expression, ArgType type, int index, Object[] arguments) throws Exception {
        return ArgumentExpression.parse(expression).value(type, index, arguments, null, null, 0);
    }

    private static Method method(Class<?>... parameterTypes) {
        try {
            return ArgumentExpressionTest.class.getDeclaredMethod("place", parameterTypes);
        } catch (NoSuchMethodException e) {
            throw new AssertionError(e);
        }
    }
}
