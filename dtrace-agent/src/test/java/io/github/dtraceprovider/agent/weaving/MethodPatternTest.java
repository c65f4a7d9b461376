package io.github.dtraceprovider.agent.weaving;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class MethodPatternTest {

    static class Shop {
        Shop() {
        }

        Shop(String name) {
        }

        void sell(long id) {
        }

        void sell(String sku, int quantity) {
        }
    }

    @Test
    void aNameSelectsEveryOverloadAndTypesSelectOne() throws Exception {
        MethodPattern every = MethodPattern.parse(Shop.class.getName() + "#sell");
        MethodPattern one = MethodPattern.parse(Shop.class.getName() + "#sell(java.lang.String, int)");
        assertThat(every.matches(Shop.class.getDeclaredMethod("sell", long.class))).isTrue();
        assertThat(every.matches(Shop.class.getDeclaredMethod("sell", String.class, int.class))).isTrue();
        assertThat(one.matches(Shop.class.getDeclaredMethod("sell", long.class))).isFalse();
        assertThat(one.matches(Shop.class.getDeclaredMethod("sell", String.class, int.class))).isTrue();
        assertThat(one.parameterTypes()).isEqualTo(List.of("java.lang.String", "int"));
    }

    @Test
    void initNamesTheConstructors() throws Exception {
        MethodPattern constructors = MethodPattern.parse(Shop.class.getName() + "#<init>");
        MethodPattern noArguments = MethodPattern.parse(Shop.class.getName() + "#<init>()");
        assertThat(constructors.matches(Shop.class.getDeclaredConstructor())).isTrue();
        assertThat(constructors.matches(Shop.class.getDeclaredConstructor(String.class))).isTrue();
        assertThat(noArguments.matches(Shop.class.getDeclaredConstructor(String.class))).isFalse();
        assertThat(constructors.matches(Shop.class.getDeclaredMethod("sell", long.class))).isFalse();
    }

    @Test
    void aPatternWithoutClassOrMethodIsRefused() {
        for (String bad : List.of("sell", "#sell", "Shop#", "Shop#sell(int")) {
            assertThatIllegalArgumentException().as(bad).isThrownBy(() -> MethodPattern.parse(bad))
                    .withMessageContaining("'" + bad + "'");
        }
    }
}
