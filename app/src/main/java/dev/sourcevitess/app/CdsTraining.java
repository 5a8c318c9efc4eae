package dev.sourcevitess.app;

import dev.sourcevitess.domain.model.Checkpoint;
import dev.sourcevitess.domain.model.LogLevel;
import dev.sourcevitess.domain.model.StreamId;
import dev.sourcevitess.domain.model.StreamState;
import dev.sourcevitess.domain.model.StreamStatus;
import dev.sourcevitess.domain.port.ReadOutput;
import dev.sourcevitess.protocol.AirbyteProtocol;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * The training run of the image's class-data-sharing archive (docker/Dockerfile):
 *
 * <pre>java -XX:ArchiveClassesAtExit=source-vitess.jsa -cp source-vitess.jar dev.sourcevitess.app.CdsTraining</pre>
 *
 * The JVM then maps the classes a run needs, already parsed and verified, instead of reading them
 * from the jar: {@code spec} starts in about half the time, a read saves a few hundred
 * milliseconds. No database or VTGate is reachable while an image builds, so this runs every
 * command against a closed local port (reading the files, wiring, connecting, failing, reporting
 * as a real run does) and then loads, without initializing, the classes of the libraries those
 * runs stop short of: the JDBC driver's result sets, gRPC's HTTP/2 client, the VStream messages.
 * Nothing here runs in a sync.
 */
public final class CdsTraining {
  /** Packages a run uses; within them, the prefixes a run never touches are left out. */
  private static final List<String> PACKAGES = List.of(
      "dev/sourcevitess/", "com/fasterxml/jackson/core/", "com/fasterxml/jackson/databind/",
      "com/mysql/cj/", "io/grpc/", "com/google/protobuf/", "io/vitess/proto/", "binlogdata/", "vttime/",
      "dagger/", "io/perfmark/");
  private static final List<String> LEFT_OUT = List.of(
      "com/mysql/cj/xdevapi/", "com/mysql/cj/x/", "com/mysql/cj/protocol/x/", "com/mysql/cj/jdbc/ha/",
      "com/mysql/cj/jdbc/integration/", "com/mysql/cj/otel/", "io/grpc/netty/shaded/io/netty/handler/codec/compression/",
      "io/grpc/netty/shaded/io/netty/handler/codec/http/websocketx/", "io/grpc/netty/shaded/io/netty/channel/epoll/",
      "io/grpc/netty/shaded/io/netty/channel/kqueue/", "io/grpc/netty/shaded/io/netty/handler/codec/spdy/",
      "io/grpc/netty/shaded/io/netty/handler/codec/socksx/", "io/grpc/netty/shaded/io/netty/handler/proxy/",
      "io/grpc/netty/shaded/io/netty/internal/tcnative/", "io/grpc/netty/shaded/io/netty/util/internal/logging/Log4J",
      "io/grpc/servlet/", "io/grpc/xds/", "io/grpc/testing/", "dev/sourcevitess/app/CdsTraining");

  private CdsTraining() {}

  public static void main(String[] args) throws Exception {
    Path dir = Files.createTempDirectory("cds-training");
    int port = closedPort();
    run("spec");
    for (String method : List.of("STANDARD", "VSTREAM")) {
      Path config = write(dir, method + "-config.json", "{\"host\": \"127.0.0.1\", \"port\": " + port
          + ", \"grpc_port\": " + port + ", \"database\": \"training\", \"username\": \"training\","
          + " \"password\": \"training\", \"tls_mode\": \"disabled\", \"replication_method\": \"" + method
          + "\", \"timeout_seconds\": 5}");
      Path catalog = write(dir, method + "-catalog.json", "{\"streams\": [{\"stream\": {\"name\": \"t\","
          + " \"namespace\": \"training\", \"json_schema\": {\"type\": \"object\", \"properties\": {\"id\":"
          + " {\"type\": \"number\"}}}, \"supported_sync_modes\": [\"full_refresh\", \"incremental\"]},"
          + " \"sync_mode\": \"" + (method.equals("STANDARD") ? "full_refresh" : "incremental") + "\","
          + " \"destination_sync_mode\": \"append_dedup\", \"cursor_field\": [\"_ab_cdc_cursor\"],"
          + " \"primary_key\": [[\"id\"]]}]}");
      // the cursor of shard "-" at MySQL56/3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5
      Path state = write(dir, method + "-state.json", "[{\"type\": \"STREAM\", \"stream\": {\"stream_descriptor\":"
          + " {\"name\": \"t\", \"namespace\": \"training\"}, \"stream_state\": {\"shards\": {\"-\": {\"cursor\":"
          + " \"CgEtEgh0cmFpbmluZxowTXlTUUw1Ni8zZTExZmE0Ny03MWNhLTExZTEtOWUzMy1jODBhYTk0Mjk1NjI6MS01\"}}}},"
          + " \"sourceStats\": {\"recordCount\": 1.0}}]");
      run("check", "--config", config.toString());
      run("discover", "--config", config.toString());
      run("read", "--config", config.toString(), "--catalog", catalog.toString(), "--state", state.toString());
    }
    writeReadOutput();
    int loaded = loadClasses();
    System.out.println("CDS training: ran every command, loaded " + loaded + " more classes");
  }

  /**
   * The messages of a sync that finds nothing new, which the runs above stop short of: their code
   * and lambdas are linked here rather than in every such sync.
   */
  private static void writeReadOutput() {
    AirbyteProtocol protocol = AirbyteProtocol.create(OutputStream.nullOutputStream(), Clock.systemUTC());
    ReadOutput output = protocol.readOutput();
    StreamId stream = new StreamId("training", "t");
    output.status(stream, StreamStatus.STARTED);
    output.estimate(stream, 0, 0);
    output.log(LogLevel.INFO, "training");
    output.status(stream, StreamStatus.RUNNING);
    output.checkpoint(new Checkpoint(stream, new StreamState(Map.of("-", "training")), 0));
    output.status(stream, StreamStatus.COMPLETE);
    protocol.flush();
  }

  private static void run(String... args) {
    new Main(OutputStream.nullOutputStream(), Clock.systemUTC()).run(args);
  }

  private static Path write(Path dir, String name, String content) throws IOException {
    return Files.writeString(dir.resolve(name), content);
  }

  /** A local port nothing listens on: connections are refused at once. */
  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static int loadClasses() throws IOException, URISyntaxException {
    Path jar = Path.of(CdsTraining.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    ClassLoader loader = CdsTraining.class.getClassLoader();
    int loaded = 0;
    try (JarFile file = new JarFile(jar.toFile())) {
      for (Enumeration<JarEntry> entries = file.entries(); entries.hasMoreElements(); ) {
        String name = entries.nextElement().getName();
        if (!name.endsWith(".class") || name.endsWith("module-info.class") || name.endsWith("package-info.class")
            || PACKAGES.stream().noneMatch(name::startsWith) || LEFT_OUT.stream().anyMatch(name::startsWith)) {
          continue;
        }
        try {
          Class.forName(name.substring(0, name.length() - ".class".length()).replace('/', '.'), false, loader);
          loaded++;
        } catch (ClassNotFoundException | LinkageError optional) {
          // a class of an optional dependency the jar leaves out: a run never loads it either
        }
      }
    }
    return loaded;
  }
}
