package dev.sourcevitess.vstream;

import dev.sourcevitess.domain.model.Shard;
import dev.sourcevitess.domain.model.SourceConfig;
import dev.sourcevitess.domain.model.TlsMode;
import dev.sourcevitess.domain.port.ChangeStreamException;
import io.grpc.Status;
import java.net.SocketTimeoutException;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * The run's peek at the keyspace's current positions, started as soon as the run has its
 * configuration and made on a socket of its own ({@link Http2Call}) instead of the gRPC channel: a
 * sync with nothing new then never sets up grpc-java, which would cost it more than half of its
 * run (BENCHMARKS.md, scenario 5). A sync that streams opens the channel for its streams.
 *
 * <p>The answer goes to the first {@code currentPositions} call of the configured keyspace. A
 * status VTGate ended the call with, or running out of time, is reported from here as the
 * channel's call would report it; a peek that could not be read otherwise (a reset, TLS or
 * protocol trouble) is given up, and that call is made again through the channel, whose error
 * handling words the failure.
 */
final class PeekAhead implements AutoCloseable {
  private final SourceConfig config;
  private final VtgateCredentials credentials;
  /** What the peek has read; after a timeout, which shards gave no position. */
  private final PeekedPositions peeked;
  // Started at most once and taken at most once; guarded by this.
  private FutureTask<Map<Shard, String>> peek;
  private Http2Call call;
  private boolean closed;

  PeekAhead(SourceConfig config, VtgateCredentials credentials) {
    this.config = Objects.requireNonNull(config, "config");
    this.credentials = Objects.requireNonNull(credentials, "credentials");
    this.peeked = new PeekedPositions(config.keyspace());
  }

  /** Starts the peek on a thread of its own, unless it was started or the run is closed. */
  synchronized void start() {
    if (peek != null || closed) {
      return;
    }
    peek = new FutureTask<>(this::peek);
    Thread thread = new Thread(peek, "vtgate-peek");
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * The peeked positions, when the peek was started for {@code keyspace}, not taken before, and
   * answered; empty when the caller must ask through the channel.
   */
  Optional<Map<Shard, String>> take(String keyspace, VtgateErrors errors) {
    FutureTask<Map<Shard, String>> started;
    synchronized (this) {
      started = peek;
      peek = null;
    }
    if (started == null || !keyspace.equals(config.keyspace())) {
      return Optional.empty();
    }
    PeekedPositions positions = peeked;
    try {
      return Optional.of(started.get());
    } catch (ExecutionException e) {
      if (e.getCause() instanceof SocketTimeoutException late) {
        throw positions.late(errors.classify(Status.DEADLINE_EXCEEDED
            .withDescription("deadline exceeded after " + config.timeoutSeconds() + "s").withCause(late)
            .asRuntimeException(), positions.what(), false), config.timeoutSeconds());
      }
      if (e.getCause() instanceof Http2Call.Unanswered refused) {
        Optional<Status> status = GrpcTrailers.status(refused.headerBlocks());
        if (status.isPresent() && !status.get().isOk()) {
          throw errors.classify(status.get().asRuntimeException(), positions.what(), false);
        }
      }
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ChangeStreamException(ChangeStreamException.Reason.OTHER,
          "interrupted while reading " + positions.what(), e);
    }
  }

  private Map<Shard, String> peek() throws Exception {
    Http2Call.Target target = new Http2Call.Target(config.host(), config.grpcPort(), VStreamMethod.PATH,
        config.tlsMode() == TlsMode.DISABLED ? null : TlsMaterial.jdkContext(config),
        config.tlsMode() == TlsMode.VERIFY_IDENTITY);
    PeekedPositions positions = peeked;
    try (Http2Call opened = Http2Call.start(target, credentials.headers(), VtgateCredentials.SECRET_HEADERS,
        VStreamRequests.currentBytes(config.keyspace(), config), config.timeoutSeconds() * 1000L)) {
      if (!register(opened)) {
        throw new Http2Call.Unanswered("the run ended");
      }
      VStreamWire.Call wire = new VStreamWire.Call();
      VEventDecoder decoder = positions.decoder();
      while (wire.decode(opened.next(), decoder, positions)) {
        // until every shard has a position
      }
    }
    return positions.positions();
  }

  private synchronized boolean register(Http2Call opened) {
    call = opened;
    return !closed;
  }

  /** Ends a peek still running: the run is over. */
  @Override
  public void close() {
    Http2Call running;
    synchronized (this) {
      closed = true;
      running = call;
    }
    if (running != null) {
      running.close();
    }
  }
}
