package example.shop;

/**
 * A plain program with no probes of its own, for {@code AddedProbeIT}: it finds an order every few milliseconds and
 * prints each result, until its standard input closes.
 */
public final class ProbedProgram {

    private ProbedProgram() {
    }

    public record Customer(String name) {
    }

    public record Order(long id, Customer customer) {
    }

    public static String find(long id, String customer) {
        return describe(new Order(id, new Customer(customer)));
    }

    static String describe(Order order) {
        return "order " + order.id() + " of " + order.customer().name();
    }

    public static void main(String[] args) throws Exception {
        ExitWhenInputCloses.watch();
        System.out.println("ready");
        for (long id = 0; ; id++) {
            System.out.println(find(id, "customer-" + id % 3));
            Thread.sleep(5);
        }
    }
}
