package example.shop;

import java.io.IOException;

/** The test programs end when the test closes their standard input, so none outlives a test that failed. */
final class ExitWhenInputCloses {

    private ExitWhenInputCloses() {
    }

    static void watch() {
        Thread watcher = new Thread(() -> {
            try {
                while (System.in.read() >= 0) {
                    // reads until the test closes our input
                }
            } catch (IOException e) {
                // closed
            }
            System.exit(0);
        }, "exit-when-input-closes");
        watcher.setDaemon(true);
        watcher.start();
    }
}
