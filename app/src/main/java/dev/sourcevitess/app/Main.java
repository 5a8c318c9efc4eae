package dev.sourcevitess.app;

import dev.sourcevitess.domain.model.FailureType;
import dev.sourcevitess.domain.model.ReplicationMethod;
import dev.sourcevitess.domain.model.ConfiguredStream;
import dev.sourcevitess.domain.model.SourceConfig;
import dev.sourcevitess.domain.model.SourceException;
import dev.sourcevitess.domain.model.StreamId;
import dev.sourcevitess.domain.model.StreamState;
import dev.sourcevitess.domain.service.CheckConnection;
import dev.sourcevitess.protocol.AirbyteProtocol;
import dev.sourcevitess.protocol.Command;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * The connector as Airbyte runs it: {@code spec}, {@code check}, {@code discover}, {@code read}.
 * Everything goes to stdout as protocol messages; a failed read ends with a TRACE ERROR and a
 * non-zero exit, a failed check with a FAILED status and exit 0, as the protocol wants.
 */
public final class Main {
  private final AirbyteProtocol protocol;
  private final Clock clock;

  Main(OutputStream stdout, Clock clock) {
    this.protocol = AirbyteProtocol.create(stdout, clock);
    this.clock = clock;
  }

  public static void main(String[] args) {
    // stdout unwrapped: System.out flushes on every write, the protocol writer buffers itself
    int exit = new Main(new FileOutputStream(FileDescriptor.out), Clock.systemUTC()).run(args);
    System.exit(exit);
  }

  int run(String[] args) {
    Command command;
    try {
      command = Command.parse(args);
    } catch (IllegalArgumentException e) {
      protocol.error(FailureType.CONFIG_ERROR, e.getMessage(), "arguments: " + String.join(" ", args));
      protocol.flush();
      return 1;
    }
    try {
      return dispatch(command);
    } catch (SourceException e) {
      protocol.error(e.failureType(), e.getMessage(), e.detail());
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      protocol.error(FailureType.TRANSIENT_ERROR, "The connector was interrupted.", e.toString());
      return 1;
    } catch (OutOfMemoryError e) {
      protocol.error(FailureType.SYSTEM_ERROR, "The connector ran out of memory (" + e.getMessage() + "; maximum heap "
          + maxHeapMegabytes() + " MB): give it more memory (a larger -Xmx in JAVA_OPTS, or a higher memory limit"
          + " for the connector in Airbyte).", stackTrace(e));
      return 1;
    } catch (RuntimeException | Error e) {
      // every failure ends as a TRACE ERROR on stdout, never as a bare stack trace on stderr
      protocol.error(FailureType.SYSTEM_ERROR, "The connector failed unexpectedly: " + e, stackTrace(e));
      return 1;
    } finally {
      protocol.flush();
    }
  }

  private int dispatch(Command command) throws InterruptedException {
    switch (command.kind()) {
      case SPEC -> protocol.spec();
      case CHECK -> check(command);
      case DISCOVER -> {
        SourceConfig config = protocol.parseConfig(command.config().orElseThrow());
        try (Assembly assembly = assemble(config)) {
          protocol.catalog(assembly.component.discover().discover());
        }
      }
      case READ -> {
        SourceConfig config = protocol.parseConfig(command.config().orElseThrow());
        try (Assembly assembly = assemble(config)) {
          // a VSTREAM read always peeks first: the peek is made while the files are read
          assembly.connectIfStreaming(config);
          List<ConfiguredStream> catalog = protocol.parseCatalog(command.catalog().orElseThrow());
          Map<StreamId, StreamState> state = command.state().map(protocol::parseState).orElse(Map.of());
          assembly.component.read().read(catalog, state);
        }
      }
    }
    return 0;
  }

  /**
   * A failed check is an answer: FAILED with the reason, and exit 0, whatever failed, an
   * unexpected exception or error included (Airbyte reads a check's exit 1 as a crash).
   */
  private void check(Command command) {
    CheckConnection.Result result;
    try {
      SourceConfig config = protocol.parseConfig(command.config().orElseThrow());
      try (Assembly assembly = assemble(config)) {
        assembly.connectIfStreaming(config);
        result = assembly.component.check().check();
      }
    } catch (SourceException e) {
      result = new CheckConnection.Result(false, e.getMessage());
    } catch (RuntimeException | Error e) {
      result = new CheckConnection.Result(false, "The check failed unexpectedly: " + e);
    }
    protocol.connectionStatus(result.succeeded(), result.message());
  }

  private static long maxHeapMegabytes() {
    return Runtime.getRuntime().maxMemory() / (1024 * 1024);
  }

  private Assembly assemble(SourceConfig config) {
    return new Assembly(DaggerSourceComponent.factory().create(config, protocol.readOutput(), clock));
  }

  /** The component and the resources its adapters opened, closed together. */
  private record Assembly(SourceComponent component) implements AutoCloseable {
    void connectIfStreaming(SourceConfig config) {
      if (config.replicationMethod() == ReplicationMethod.VSTREAM) {
        component.vtgate().peekInBackground();
      }
    }

    @Override
    public void close() {
      component.vtgate().close();
    }
  }

  private static String stackTrace(Throwable t) {
    StringWriter out = new StringWriter();
    t.printStackTrace(new PrintWriter(out));
    return out.toString();
  }
}
