package dev.sourcevitess.domain.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sourcevitess.domain.fake.TestConfig;
import dev.sourcevitess.domain.model.FailureType;
import dev.sourcevitess.domain.model.SourceConfig;
import dev.sourcevitess.domain.model.SourceException;
import dev.sourcevitess.domain.port.ChangeStreamException;
import dev.sourcevitess.domain.port.ChangeStreamException.Reason;
import org.junit.jupiter.api.Test;

/** Which failures are retried, and what each tells the user once it is final. */
class StreamFailuresTest {
  private final SourceConfig config = TestConfig.vstream().maxRetries(3).build();

  private SourceException described(Reason reason, String message) {
    return StreamFailures.describe(new ChangeStreamException(reason, message), config);
  }

  @Test
  void aMismatchIsRetriedAndOnlyThenMeansTheStreamMustBeReset() {
    assertTrue(StreamFailures.retryable(new ChangeStreamException(Reason.POSITION_MISMATCH, "GTIDSet Mismatch")));
    SourceException e = described(Reason.POSITION_MISMATCH, "the tablet VTGate picked for ks.t does not have it");
    assertEquals(FailureType.CONFIG_ERROR, e.failureType());
    assertTrue(e.getMessage().contains("after 3 retries"), e.getMessage());
    assertTrue(e.getMessage().contains("ks.t"), e.getMessage());
    assertTrue(e.getMessage().contains("reset the stream"), e.getMessage());
  }

  @Test
  void purgedBinlogsAreFinalAtOnce() {
    assertFalse(StreamFailures.retryable(new ChangeStreamException(Reason.POSITION_LOST, "errno 1236")));
    SourceException e = described(Reason.POSITION_LOST, "binlogs of ks.t purged");
    assertEquals(FailureType.CONFIG_ERROR, e.failureType());
    assertTrue(e.getMessage().contains("reset the stream"), e.getMessage());
  }

  @Test
  void whatOnlyTheUserCanFixIsAConfigErrorInTheAdaptersWords() {
    for (Reason reason : new Reason[] {Reason.NO_TABLET, Reason.TLS_MISMATCH, Reason.UNREADABLE_ROWS}) {
      assertFalse(StreamFailures.retryable(new ChangeStreamException(reason, "x")), reason.name());
      SourceException e = described(reason, "set tls_mode to disabled");
      assertEquals(FailureType.CONFIG_ERROR, e.failureType(), reason.name());
      assertEquals("set tls_mode to disabled", e.getMessage());
    }
  }
}
