package dev.sourcevitess.vstream;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sourcevitess.domain.fake.LoopbackListener;
import dev.sourcevitess.domain.model.SourceConfig;
import dev.sourcevitess.domain.model.TlsMode;
import dev.sourcevitess.domain.port.ChangeStreamException;
import io.grpc.ManagedChannel;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A grpc_port that accepts TCP but never speaks gRPC (or TLS): the call's deadline ends the wait. */
class SilentVtgateTest {
  @ParameterizedTest
  @EnumSource(value = TlsMode.class, names = {"DISABLED", "REQUIRED"})
  void aPortThatNeverAnswersFailsWithinTheTimeout(TlsMode tls) throws Exception {
    try (LoopbackListener silent = new LoopbackListener(new byte[0])) {
      SourceConfig config = TestConfigs.config("127.0.0.1", silent.port(), tls, TestConfigs.USER,
          TestConfigs.PASSWORD, 2, false, false, Optional.empty());
      ManagedChannel channel = VtgateChannels.open(config);
      long start = System.nanoTime();
      try {
        ChangeStreamException e = assertThrows(ChangeStreamException.class, () -> new VtgateChangeStreams(channel,
            new VtgateCredentials(config.username(), config.password()), config, Duration.ofSeconds(1))
            .currentPositions("commerce"));
        assertTrue(e.reason() == ChangeStreamException.Reason.DEADLINE_EXCEEDED, e.reason() + ": " + e.getMessage());
        assertTrue(e.getMessage().contains("within timeout_seconds (2 s)"), e.getMessage());
      } finally {
        channel.shutdownNow();
      }
      long seconds = (System.nanoTime() - start) / 1_000_000_000L;
      assertTrue(seconds < 20, "bounded by the 2 s timeout, took " + seconds + " s");
    }
  }
}
