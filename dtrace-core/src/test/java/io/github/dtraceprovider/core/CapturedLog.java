package io.github.dtraceprovider.core;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Captures what the library logs during a test. Its System.Logger falls back to java.util.logging, so a handler on
 * the library's logger sees every record; the records are kept from reaching the console meanwhile. Warnings raised
 * by fires are written from a thread of the library's own, a moment after the fire: wait for them with
 * {@link #awaitMessages(int)}.
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

    /** Waits until at least {@code count} records arrived, then returns them all. */
    List<LogRecord> awaitRecords(int count) {
        Tracing.await(count + " log record(s) arrived", () -> records().size() >= count);
        return records();
    }

    /** Waits until at least {@code count} records arrived, then returns all their messages. */
    List<String> awaitMessages(int count) {
        awaitRecords(count);
        return messages();
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
