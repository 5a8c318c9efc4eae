package dev.sourcevitess.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import dev.sourcevitess.domain.model.ConfiguredStream;
import dev.sourcevitess.domain.model.DiscoveredStream;
import dev.sourcevitess.domain.model.FailureType;
import dev.sourcevitess.domain.model.LogLevel;
import dev.sourcevitess.domain.model.Secret;
import dev.sourcevitess.domain.model.SourceConfig;
import dev.sourcevitess.domain.model.SourceException;
import dev.sourcevitess.domain.model.StreamId;
import dev.sourcevitess.domain.model.StreamState;
import dev.sourcevitess.domain.port.ReadOutput;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;

/**
 * The Airbyte side of the connector: reads the files Airbyte hands over and writes the messages
 * it expects on stdout, one JSON object per line. Usable before any wiring exists, so {@code main}
 * can report a bad config as Airbyte wants it.
 *
 * <p>Writes are thread-safe. A read's messages are written on a thread of their own
 * ({@link PipelinedOutput}); records are buffered, every other message is flushed at once.
 */
public final class AirbyteProtocol implements AutoCloseable {
  private static final String SPEC_RESOURCE = "spec.json";
  /** How config messages introduce the value they refuse (ConfigParser's wording). */
  private static final String ECHOED_VALUE = ", got ";
  /** Build settings: the documentation URL (see the root pom's documentation.url). */
  private static final String BUILD_RESOURCE = "connector.properties";

  private final JsonInput input = new JsonInput();
  private final Redactor redactor = new Redactor();
  private final MessageWriter writer;
  /** A read's messages; drained before anything is written past it. */
  private final PipelinedOutput readOutput;

  private AirbyteProtocol(OutputStream stdout, Clock clock) {
    this.writer = new MessageWriter(stdout, clock, redactor, new JsonFactory());
    this.readOutput = new PipelinedOutput(writer);
  }

  /**
   * @param stdout where messages go; buffered here, so a plain {@code FileOutputStream} on
   *     {@code FileDescriptor.out} serves best
   * @param clock the time of {@code emitted_at}
   */
  public static AirbyteProtocol create(OutputStream stdout, Clock clock) {
    return new AirbyteProtocol(Objects.requireNonNull(stdout, "stdout"), Objects.requireNonNull(clock, "clock"));
  }

  // ---- input ----

  /**
   * Reads the connector config and, from then on, hides its password in everything written.
   *
   * @throws SourceException CONFIG_ERROR naming the field, what is wrong and what is expected
   */
  public SourceConfig parseConfig(Path file) {
    try {
      return new ConfigParser(input).parse(file, this::redact);
    } catch (SourceException e) {
      // a value echoed in a message could be the password typed into the wrong field
      String message = withoutUnsafeEcho(e.getMessage());
      if (message.equals(e.getMessage())) {
        throw e;
      }
      throw new SourceException(e.failureType(), message, redactor.apply(e.detail()));
    }
  }

  /**
   * The message with the password masked; when the echoed value ("..., got X.") holds a password
   * too short to be told from the letters of a word, the value is left out instead.
   */
  private String withoutUnsafeEcho(String message) {
    int echo = message.indexOf(ECHOED_VALUE);
    if (echo >= 0 && redactor.mayShowSecret(message.substring(echo))) {
      return redactor.apply(message.substring(0, echo)) + " (the value given is not shown: it may hold the password).";
    }
    return redactor.apply(message);
  }

  /** @throws SourceException CONFIG_ERROR naming the bad element by its path */
  public List<ConfiguredStream> parseCatalog(Path file) {
    return new CatalogParser(input).parse(file);
  }

  /**
   * The per-stream state: Airbyte's STREAM states, or PlanetScale's connector's legacy state.
   *
   * @throws SourceException CONFIG_ERROR saying what is wrong (a GLOBAL state, for one)
   */
  public Map<StreamId, StreamState> parseState(Path file) {
    return new StateParser(input).parse(file);
  }

  /** Hides {@code secret} in every message written from now on; an empty one is ignored. */
  public void redact(Secret secret) {
    redactor.hide(Objects.requireNonNull(secret, "secret"));
  }

  // ---- output ----

  public void spec() {
    writer.spec(documentationUrl(), connectionSpecification());
  }

  public void connectionStatus(boolean succeeded, String message) {
    writer.connectionStatus(succeeded, message);
  }

  public void catalog(List<DiscoveredStream> streams) {
    writer.catalog(List.copyOf(streams));
  }

  public void log(LogLevel level, String message) {
    readOutput.drain();
    writer.log(Objects.requireNonNull(level, "level"), message);
  }

  /**
   * A TRACE ERROR.
   *
   * @param message one line for the user; line breaks are folded
   * @param internalMessage the technical detail; may be null
   */
  public void error(FailureType type, String message, String internalMessage) {
    readOutput.error(Objects.requireNonNull(type, "type"), message, internalMessage);
  }

  /** Where a read writes its records, states, statuses, estimates, logs and errors. */
  public ReadOutput readOutput() {
    return readOutput;
  }

  /** Writes out everything handed in, a read's messages included. */
  public void flush() {
    readOutput.drain();
    writer.flush();
  }

  /** Flushes; stdout itself stays open. */
  @Override
  public void close() {
    readOutput.drain();
    writer.close();
  }

  /** This project's documentation as the build was told it; empty when it has no public home. */
  static Optional<String> documentationUrl() {
    Properties build = new Properties();
    try (InputStream in = resource(BUILD_RESOURCE)) {
      build.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String url = build.getProperty("documentation.url", "").trim();
    // an unfiltered copy (a build that skipped resource filtering) still says ${...}
    return url.isEmpty() || url.startsWith("${") ? Optional.empty() : Optional.of(url);
  }

  private static byte[] connectionSpecification() {
    try (InputStream in = resource(SPEC_RESOURCE)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static InputStream resource(String name) {
    InputStream in = AirbyteProtocol.class.getResourceAsStream(name);
    if (in == null) {
      throw new IllegalStateException(name + " is missing from the jar");
    }
    return in;
  }
}
