package dev.sourcevitess.vstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sourcevitess.domain.model.TlsMode;
import dev.sourcevitess.domain.port.ChangeStreamException;
import dev.sourcevitess.vstream.fake.FakeVitess;
import dev.sourcevitess.vstream.fake.FakeVtgate;
import io.grpc.ManagedChannel;
import io.grpc.inprocess.InProcessChannelBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LazyVtgateChannelTest {
  @Test
  void opensOnTheFirstCallOnlyAndClosesWhatItOpened() {
    FakeVitess vitess = new FakeVitess();
    vitess.addKeyspace("commerce", "-");
    try (FakeVtgate vtgate = FakeVtgate.tcp(vitess).requireCredentials(TestConfigs.USER, TestConfigs.PASSWORD)) {
      AtomicInteger opened = new AtomicInteger();
      List<ManagedChannel> channels = new ArrayList<>();
      var config = TestConfigs.config("127.0.0.1", vtgate.port(), TlsMode.DISABLED);
      LazyVtgateChannel lazy = new LazyVtgateChannel(() -> {
        opened.incrementAndGet();
        ManagedChannel channel = VtgateChannels.open(config);
        channels.add(channel);
        return channel;
      }, "127.0.0.1:" + vtgate.port());
      VtgateChangeStreams streams = new VtgateChangeStreams(lazy,
          new VtgateCredentials(config.username(), config.password()), config, Duration.ofSeconds(1));

      assertEquals("127.0.0.1:" + vtgate.port(), lazy.authority());
      assertEquals(0, opened.get(), "nothing opened before a call");
      streams.currentPositions("commerce");
      streams.currentPositions("commerce");
      assertEquals(1, opened.get());
      assertTrue(lazy.isOpen());

      lazy.close();
      assertFalse(lazy.isOpen());
      assertTrue(channels.get(0).isShutdown());
      ChangeStreamException e = assertThrows(ChangeStreamException.class, () -> streams.currentPositions("commerce"));
      assertTrue(e.getMessage().contains("closed"), e.getMessage());
      assertEquals(1, opened.get());
    }
  }

  @Test
  void closingBeforeAnyCallOpensNothing() {
    AtomicInteger opened = new AtomicInteger();
    LazyVtgateChannel lazy = new LazyVtgateChannel(() -> {
      opened.incrementAndGet();
      return InProcessChannelBuilder.forName("unused").build();
    }, "h:1");
    lazy.close();
    lazy.close();
    assertEquals(0, opened.get());
  }
}
