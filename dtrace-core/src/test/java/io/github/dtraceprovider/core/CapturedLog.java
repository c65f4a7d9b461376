package io.github.dtraceprovider.core;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Captures what the library logs during a test. Its System.Logger falls back to java.util.logging, so a handler on
 * the library's logger sees every record; the records are kept from reaching the console meanwhile.
 */
final class CapturedLog extends Handler {

    private final Logger logger = Logger.getLogger("io.github.dtraceprovider");
    private final List<LogRecord> records = new ArrayList<>();

    private CapturedLog() {
    }

    static CapturedLog start() {
        CapturedLog log = new CapturedLog();
        log.logger.addHandler(log);
        log.logger.setUseParentHandlers(false);
        return log;
    }

    /** The records so far, in order. */
    List<LogRecord> records() {
        synchronized (records) {
            return List.copyOf(records);
        }
    }

    /** Their messages. */
    List<String> messages() {
        return records().stream().map(LogRecord::getMessage).toList();
    }

    @Override
    public void publish(LogRecord record) {
        synchronized (records) {
            records.add(record);
        }
    }

    @Override
    public void flush() {
    }

    /** Stops capturing. */
    @Override
    public void close() {
        logger.removeHandler(this);
        logger.setUseParentHandlers(true);
    }
}
