package dev.sourcevitess.vstream;

import static dev.sourcevitess.vstream.fake.ColumnDef.notNull;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.strings;

import dev.sourcevitess.domain.fake.LoopbackListener;
import dev.sourcevitess.domain.fake.TestPki;
import dev.sourcevitess.domain.model.ReplicationMethod;
import dev.sourcevitess.domain.model.Secret;
import dev.sourcevitess.domain.model.Shard;
import dev.sourcevitess.domain.model.SourceConfig;
import dev.sourcevitess.domain.model.TlsCertificates;
import dev.sourcevitess.domain.model.TlsMode;
import dev.sourcevitess.domain.port.ChangeStreamException;
import dev.sourcevitess.vstream.fake.FakeKeyspace;
import dev.sourcevitess.vstream.fake.FakeTls;
import dev.sourcevitess.vstream.fake.FakeVitess;
import dev.sourcevitess.vstream.fake.FakeVtgate;
import dev.sourcevitess.vstream.fake.TableDef;
import io.grpc.ManagedChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The early peek over {@link Http2Call} (no grpc-java on the client side) against the fake VTGate,
 * whose server is grpc-java's: it must read what the gRPC channel reads, and give way to the
 * channel for every answer but positions.
 */
class PeekAheadTest {
  private static final TableDef T = TableDef.of("t", List.of("id"), notNull("id", "bigint"));

  @TempDir Path directory;

  /** Shard names of an even split into {@code count} key ranges (count a power of two). */
  private static String[] shardNames(int count) {
    if (count == 1) {
      return new String[] {"-"};
    }
    String[] names = new String[count];
    int step = 256 / count;
    for (int i = 0; i < count; i++) {
      String from = i == 0 ? "" : String.format("%02x", i * step);
      String to = i == count - 1 ? "" : String.format("%02x", (i + 1) * step);
      names[i] = from + "-" + to;
    }
    return names;
  }

  private static SourceConfig config(FakeVtgate vtgate, TlsMode tls, String password, int timeoutSeconds,
      TlsCertificates certificates) {
    return new SourceConfig(vtgate.host(), 3306, vtgate.port(), "commerce", TestConfigs.USER, new Secret(password),
        tls, ReplicationMethod.VSTREAM, List.of(), false, false, false, Map.of(), 0, timeoutSeconds, true, true,
        Optional.empty(), 1, certificates);
  }

  /** The positions through the early peek; the channel, if the peek gives way, counts its openings. */
  private static Map<Shard, String> peeked(SourceConfig config, AtomicInteger channelsOpened) {
    LazyVtgateChannel channel = new LazyVtgateChannel(() -> {
      channelsOpened.incrementAndGet();
      return VtgateChannels.open(config);
    }, config.host());
    VtgateCredentials credentials = new VtgateCredentials(config.username(), config.password());
    try (PeekAhead peek = new PeekAhead(config, credentials)) {
      peek.start();
      return new VtgateChangeStreams(channel, credentials, config, Duration.ofSeconds(1), peek)
          .currentPositions("commerce");
    } finally {
      channel.close();
    }
  }

  /** The positions through the gRPC channel alone, as before the early peek. */
  private static Map<Shard, String> throughTheChannel(SourceConfig config) {
    ManagedChannel channel = VtgateChannels.open(config);
    try {
      return new VtgateChangeStreams(channel, new VtgateCredentials(config.username(), config.password()), config,
          Duration.ofSeconds(1)).currentPositions("commerce");
    } finally {
      channel.shutdownNow();
    }
  }

  private record Layout(int shardPower, List<Integer> commits, String password, boolean staticAuth) {}

  /**
   * Any number of shards (up to 64: the answer then spans many DATA frames and more than HTTP/2's
   * default window), any history, any password (long ones need HPACK's multi-byte lengths;
   * non-ASCII ones go in the Basic form only), either form of authentication: the early peek gives
   * what the gRPC channel gives, in one call and without opening the channel.
   */
  @Test
  void theEarlyPeekReadsWhatTheChannelReads() {
    qt().withExamples(40).withFixedSeed(20261130L)
        .forAll(integers().between(0, 6), lists().of(integers().between(0, 3)).ofSize(64),
            strings().betweenCodePoints(0x20, 0x17f).ofLengthBetween(1, 300), booleans().all())
        .as(Layout::new)
        .checkAssert(layout -> {
          FakeVitess vitess = new FakeVitess();
          FakeKeyspace keyspace = vitess.addKeyspace("commerce", shardNames(1 << layout.shardPower()));
          keyspace.createTable(T);
          String[] names = shardNames(1 << layout.shardPower());
          int id = 0;
          for (int i = 0; i < names.length; i++) {
            for (int c = 0; c < layout.commits().get(i); c++) {
              String row = Integer.toString(++id);
              keyspace.shard(names[i]).commit(tx -> tx.insert("t", row));
            }
          }
          boolean asciiPassword = layout.password().chars().allMatch(ch -> ch < 0x7f);
          try (FakeVtgate vtgate = FakeVtgate.tcp(vitess)) {
            if (layout.staticAuth() && asciiPassword) {
              vtgate.requireStaticAuth(TestConfigs.USER, layout.password());
            } else {
              vtgate.requireCredentials(TestConfigs.USER, layout.password());
            }
            SourceConfig config = config(vtgate, TlsMode.DISABLED, layout.password(), 20, TlsCertificates.none());
            Map<Shard, String> expected = throughTheChannel(config);
            assertEquals(names.length, expected.size());
            int before = vtgate.vstreamCalls();
            AtomicInteger opened = new AtomicInteger();
            assertEquals(expected, peeked(config, opened));
            assertEquals(0, opened.get(), "the channel was opened: the early peek gave way");
            assertEquals(before + 1, vtgate.vstreamCalls());
          }
        });
  }

  /** TLS as each mode sets it up, a client certificate included, with "h2" agreed by ALPN. */
  @Test
  void overTlsTheEarlyPeekAnswersToo() {
    TestPki pki = TestPki.create(directory, "Private Vitess CA");
    TestPki.Issued client = pki.issue("reader", List.of());
    FakeVitess vitess = new FakeVitess();
    vitess.addKeyspace("commerce", "-80", "80-");
    FakeTls serverOnly = FakeTls.issued(pki.issue("localhost", List.of("ip:127.0.0.1")), null);
    FakeTls mutual = FakeTls.issued(pki.issue("mutual", List.of("ip:127.0.0.1")), pki.trustStore());
    try (FakeVtgate tls = FakeVtgate.tcp(vitess, serverOnly).requireCredentials(TestConfigs.USER, TestConfigs.PASSWORD);
        FakeVtgate withClients = FakeVtgate.tcp(vitess, mutual)
            .requireCredentials(TestConfigs.USER, TestConfigs.PASSWORD)) {
      List<SourceConfig> configs = List.of(
          config(tls, TlsMode.REQUIRED, TestConfigs.PASSWORD, 20, TlsCertificates.none()),
          config(tls, TlsMode.VERIFY_IDENTITY, TestConfigs.PASSWORD, 20,
              new TlsCertificates(Optional.of(pki.trustStore()), Optional.empty(), new Secret(""))),
          config(withClients, TlsMode.VERIFY_IDENTITY, TestConfigs.PASSWORD, 20, new TlsCertificates(
              Optional.of(pki.trustStore()), Optional.of(client.keyStore()), new Secret(new String(client.password())))));
      for (SourceConfig config : configs) {
        AtomicInteger opened = new AtomicInteger();
        assertEquals(throughTheChannel(config), peeked(config, opened), config.tlsMode().toString());
        assertEquals(0, opened.get(), config.tlsMode() + ": the early peek gave way");
      }
    }
  }

  /** A server certificate of another name fails as it did: the channel says why. */
  @Test
  void aCertificateOfAnotherHostFailsAsBefore() {
    TestPki pki = TestPki.create(directory, "Private Vitess CA");
    FakeVitess vitess = new FakeVitess();
    vitess.addKeyspace("commerce", "-");
    FakeTls elsewhere = FakeTls.issued(pki.issue("vtgate.example.invalid", List.of("dns:vtgate.example.invalid")),
        null);
    try (FakeVtgate vtgate = FakeVtgate.tcp(vitess, elsewhere)
        .requireCredentials(TestConfigs.USER, TestConfigs.PASSWORD)) {
      SourceConfig config = config(vtgate, TlsMode.VERIFY_IDENTITY, TestConfigs.PASSWORD, 20,
          new TlsCertificates(Optional.of(pki.trustStore()), Optional.empty(), new Secret("")));
      ChangeStreamException before = assertThrows(ChangeStreamException.class, () -> throughTheChannel(config));
      AtomicInteger opened = new AtomicInteger();
      ChangeStreamException now = assertThrows(ChangeStreamException.class, () -> peeked(config, opened));
      assertEquals(before.reason(), now.reason());
      assertEquals(1, opened.get());
    }
  }

  /**
   * VTGate's refusals come as a status without a message: read from the trailers (HPACK, by
   * grpc-java's own decoder) and worded as the channel words them, without asking again.
   */
  @Test
  void refusalsAreReadFromTheTrailersAndWordedAsBefore() {
    FakeVitess vitess = new FakeVitess();
    vitess.addKeyspace("commerce", "-");
    try (FakeVtgate vtgate = FakeVtgate.tcp(vitess).requireCredentials(TestConfigs.USER, TestConfigs.PASSWORD);
        FakeVtgate noKeyspace = FakeVtgate.tcp(new FakeVitess())) {
      List<SourceConfig> refused = List.of(
          config(vtgate, TlsMode.DISABLED, "not-the-password", 20, TlsCertificates.none()),
          config(noKeyspace, TlsMode.DISABLED, TestConfigs.PASSWORD, 20, TlsCertificates.none()));
      for (SourceConfig config : refused) {
        ChangeStreamException before = assertThrows(ChangeStreamException.class, () -> throughTheChannel(config));
        AtomicInteger opened = new AtomicInteger();
        ChangeStreamException now = assertThrows(ChangeStreamException.class, () -> peeked(config, opened));
        assertEquals(before.reason(), now.reason());
        assertEquals(before.getMessage(), now.getMessage());
        assertEquals(0, opened.get(), "asked again through the channel: " + now.getMessage());
      }
    }
  }

  /** No tablet of the asked type: VTGate gives up after a while, and that wait is not made twice. */
  @Test
  void aSlowRefusalIsWaitedForOnce() {
    FakeVitess vitess = new FakeVitess();
    vitess.addKeyspace("commerce", "-");
    try (FakeVtgate vtgate = FakeVtgate.tcp(vitess).servedTabletTypes(Duration.ofSeconds(2),
        io.vitess.proto.Topodata.TabletType.PRIMARY)) {
      SourceConfig replica = TestConfigs.config(vtgate.host(), vtgate.port(), TlsMode.DISABLED, TestConfigs.USER,
          TestConfigs.PASSWORD, 20, true, false, Optional.empty());
      AtomicInteger opened = new AtomicInteger();
      long start = System.nanoTime();
      ChangeStreamException e = assertThrows(ChangeStreamException.class, () -> peeked(replica, opened));
      long millis = (System.nanoTime() - start) / 1_000_000L;
      assertEquals(ChangeStreamException.Reason.NO_TABLET, e.reason(), e.getMessage());
      assertEquals(0, opened.get());
      assertTrue(millis < 3900, "one wait of 2 s, not two: " + millis + " ms");
    }
  }

  /** Percent-encoded grpc-message text, as grpc-java decodes it. */
  @Test
  void grpcMessagesArePercentDecoded() {
    assertEquals("node doesn't exist: é 100%", GrpcTrailers.percentDecoded("node doesn't exist: %C3%A9 100%"));
    assertEquals("a%zz b", GrpcTrailers.percentDecoded("a%zz b"));
  }

  /** A port that never answers: the peek's own deadline, reported as the channel's would be. */
  @Test
  void aSilentPortRunsOutOfTimeWithoutASecondWait() throws Exception {
    try (LoopbackListener silent = new LoopbackListener(new byte[0])) {
      SourceConfig config = TestConfigs.config("127.0.0.1", silent.port(), TlsMode.DISABLED, TestConfigs.USER,
          TestConfigs.PASSWORD, 2, false, false, Optional.empty());
      AtomicInteger opened = new AtomicInteger();
      long start = System.nanoTime();
      ChangeStreamException e = assertThrows(ChangeStreamException.class, () -> peeked(config, opened));
      long seconds = (System.nanoTime() - start) / 1_000_000_000L;
      assertEquals(ChangeStreamException.Reason.DEADLINE_EXCEEDED, e.reason(), e.getMessage());
      assertTrue(e.getMessage().contains("within timeout_seconds (2 s)"), e.getMessage());
      assertEquals(0, opened.get());
      assertTrue(seconds < 4, "one timeout, not two: " + seconds + " s");
    }
  }

  /** A peek still waiting when the run ends is stopped with it. */
  @Test
  void closingTheRunEndsAPeekStillWaiting() throws Exception {
    try (LoopbackListener silent = new LoopbackListener(new byte[0])) {
      SourceConfig config = TestConfigs.config("127.0.0.1", silent.port(), TlsMode.DISABLED, TestConfigs.USER,
          TestConfigs.PASSWORD, 60, false, false, Optional.empty());
      PeekAhead peek = new PeekAhead(config, new VtgateCredentials(config.username(), config.password()));
      peek.start();
      Thread.sleep(200);
      List<Thread> peeks = new ArrayList<>();
      Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("vtgate-peek")).forEach(peeks::add);
      assertTrue(!peeks.isEmpty());
      peek.close();
      for (Thread thread : peeks) {
        thread.join(5000);
        assertTrue(!thread.isAlive(), "the peek still runs after close");
      }
    }
  }
}
