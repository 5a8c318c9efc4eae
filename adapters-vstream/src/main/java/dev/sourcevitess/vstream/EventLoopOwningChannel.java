package dev.sourcevitess.vstream;

import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import java.util.concurrent.TimeUnit;

/**
 * A channel with its own event loop, stopped once the channel has terminated. gRPC's shared event
 * loop outlives its channels by a second, its thread waiting in the kernel's select; the JVM then
 * spends up to 300 ms at exit waiting for that thread to leave native code. A run that closes its
 * channel leaves no such thread behind.
 */
final class EventLoopOwningChannel extends ManagedChannel {
  private static final long EVENT_LOOP_STOP_MILLIS = 1000;

  private final ManagedChannel channel;
  private final EventLoopGroup eventLoop;

  EventLoopOwningChannel(ManagedChannel channel, EventLoopGroup eventLoop) {
    this.channel = channel;
    this.eventLoop = eventLoop;
  }

  @Override
  public ManagedChannel shutdown() {
    channel.shutdown();
    return this;
  }

  @Override
  public ManagedChannel shutdownNow() {
    channel.shutdownNow();
    // the transports close on the event loop: stop it once they have, without holding the caller
    Thread stopper = new Thread(() -> {
      try {
        channel.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      stopEventLoop();
    }, "vtgate-event-loop-stopper");
    stopper.setDaemon(true);
    stopper.start();
    return this;
  }

  @Override
  public boolean isShutdown() {
    return channel.isShutdown();
  }

  @Override
  public boolean isTerminated() {
    return channel.isTerminated();
  }

  /** Waits for the channel, then stops its event loop and waits for that too. */
  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
    boolean terminated = channel.awaitTermination(timeout, unit);
    if (terminated) {
      stopEventLoop();
    }
    return terminated;
  }

  private void stopEventLoop() {
    eventLoop.shutdownGracefully(0, EVENT_LOOP_STOP_MILLIS, TimeUnit.MILLISECONDS)
        .awaitUninterruptibly(EVENT_LOOP_STOP_MILLIS + 500);
  }

  @Override
  public ConnectivityState getState(boolean requestConnection) {
    return channel.getState(requestConnection);
  }

  @Override
  public void notifyWhenStateChanged(ConnectivityState source, Runnable callback) {
    channel.notifyWhenStateChanged(source, callback);
  }

  @Override
  public void resetConnectBackoff() {
    channel.resetConnectBackoff();
  }

  @Override
  public void enterIdle() {
    channel.enterIdle();
  }

  @Override
  public <Q, R> ClientCall<Q, R> newCall(MethodDescriptor<Q, R> method, CallOptions options) {
    return channel.newCall(method, options);
  }

  @Override
  public String authority() {
    return channel.authority();
  }

  @Override
  public String toString() {
    return channel.toString();
  }
}
