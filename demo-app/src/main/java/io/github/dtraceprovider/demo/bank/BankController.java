package io.github.dtraceprovider.demo.bank;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * A simulated bank, served by this application so that the payment gateway has a remote service to call over HTTP:
 * {@code POST /bank/charges} takes 5 to 40 ms, 60 to 90 ms more above 10.00 (a fraud review),
 * and declines (402) amounts above its limit of 1000.00.
 */
@RestController
@RequestMapping("/bank")
class BankController {

    static final long LIMIT_CENTS = 100_000;
    /** Charges above this get a fraud review, which takes longer: the slowness docs/dynamic-probes.md tracks down. */
    static final long REVIEW_CENTS = 1_000;

    @PostMapping("/charges")
    @ResponseStatus(HttpStatus.CREATED)
    ChargeAuthorization charge(@RequestBody ChargeRequest charge) {
        sleep(Duration.ofMillis(ThreadLocalRandom.current().nextInt(5, 41)));
        if (charge.amountCents() > REVIEW_CENTS) {
            sleep(Duration.ofMillis(ThreadLocalRandom.current().nextInt(60, 91)));
        }
        if (charge.amountCents() > LIMIT_CENTS) {
            throw new ResponseStatusException(HttpStatus.PAYMENT_REQUIRED, "Amount above the limit");
        }
        return new ChargeAuthorization(UUID.randomUUID().toString().substring(0, 8));
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
