package dev.sourcevitess.vstream;

import dev.sourcevitess.domain.port.ChangeStreamException;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A {@link Channel} that opens the real one on its first call, so runs that never stream (spec,
 * check, a sync with nothing new) never set up gRPC, and closes it at the end of the run.
 */
final class LazyVtgateChannel extends Channel implements AutoCloseable {
  private static final long GRACEFUL_SHUTDOWN_SECONDS = 5;

  private final Supplier<ManagedChannel> opener;
  private final String authority;
  // Opened at most once; mutable only because opening is deferred, guarded by this.
  private ManagedChannel channel;
  private boolean closed;

  LazyVtgateChannel(Supplier<ManagedChannel> opener, String authority) {
    this.opener = Objects.requireNonNull(opener, "opener");
    this.authority = Objects.requireNonNull(authority, "authority");
  }

  @Override
  public <Q, R> ClientCall<Q, R> newCall(MethodDescriptor<Q, R> method, CallOptions options) {
    return open().newCall(method, options);
  }

  @Override
  public String authority() {
    return authority;
  }

  synchronized boolean isOpen() {
    return channel != null && !closed;
  }

  private synchronized ManagedChannel open() {
    if (closed) {
      throw new ChangeStreamException(
          ChangeStreamException.Reason.OTHER, "the connection to VTGate " + authority + " is closed");
    }
    if (channel == null) {
      channel = opener.get();
    }
    return channel;
  }

  @Override
  public void close() {
    ManagedChannel toClose;
    synchronized (this) {
      closed = true;
      toClose = channel;
    }
    if (toClose == null) {
      return;
    }
    toClose.shutdown();
    try {
      if (!toClose.awaitTermination(GRACEFUL_SHUTDOWN_SECONDS, TimeUnit.SECONDS)) {
        toClose.shutdownNow();
      }
    } catch (InterruptedException e) {
      toClose.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
