package dev.sourcevitess.vstream;

import dagger.Module;
import dagger.Provides;
import dev.sourcevitess.domain.model.SourceConfig;
import dev.sourcevitess.domain.port.ChangeStreams;
import dev.sourcevitess.domain.port.CursorCodec;
import java.time.Duration;
import javax.inject.Singleton;

/**
 * The VStream adapter: {@link ChangeStreams} over VTGate's gRPC API and the {@link CursorCodec}
 * of PlanetScale's cursors. The app's component binds the {@link SourceConfig} and must be
 * {@code @Singleton}: there is one gRPC channel per run, opened on first use (so {@code spec}, and
 * a check or a sync with nothing new, never open it) and closed through
 * {@link VtgateConnection#close()} at the end, and one early peek ({@link PeekAhead}).
 */
@Module
public final class VStreamModule {
  /** How often VTGate sends a HEARTBEAT while a stream is idle; VTGate counts in whole seconds. */
  static final Duration HEARTBEAT_INTERVAL = Duration.ofSeconds(10);

  private VStreamModule() {}

  /** The app's handle on the VTGate channel: closing it ends the run's gRPC connection, if any. */
  public interface VtgateConnection extends AutoCloseable {
    /**
     * Starts the peek at the keyspace's positions on a background thread, for a run that will
     * ask for them (a VSTREAM read or check): it is then made while the run reads its files. A
     * failure here is not reported; the run's own call meets it.
     */
    void peekInBackground();

    /** Ends the peek if it still runs and shuts the channel down if it was opened. Idempotent. */
    @Override
    void close();
  }

  @Provides
  @Singleton
  static LazyVtgateChannel vtgateChannel(SourceConfig config) {
    return new LazyVtgateChannel(
        () -> VtgateChannels.open(config), config.host() + ":" + config.grpcPort());
  }

  @Provides
  @Singleton
  static PeekAhead peekAhead(SourceConfig config) {
    return new PeekAhead(config, new VtgateCredentials(config.username(), config.password()));
  }

  @Provides
  @Singleton
  static VtgateConnection vtgateConnection(LazyVtgateChannel channel, PeekAhead peek) {
    return new VtgateConnection() {
      @Override
      public void peekInBackground() {
        peek.start();
      }

      @Override
      public void close() {
        peek.close();
        channel.close();
      }
    };
  }

  @Provides
  static ChangeStreams changeStreams(LazyVtgateChannel channel, PeekAhead peek, SourceConfig config) {
    return new VtgateChangeStreams(
        channel,
        new VtgateCredentials(config.username(), config.password()),
        config,
        HEARTBEAT_INTERVAL,
        peek);
  }

  @Provides
  static CursorCodec cursorCodec() {
    return new ProtoCursorCodec();
  }
}
