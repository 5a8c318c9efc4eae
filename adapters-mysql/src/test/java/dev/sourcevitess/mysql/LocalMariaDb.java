package dev.sourcevitess.mysql;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The machine's MariaDB on 127.0.0.1:3306 with the test account, as {@code scripts/mariadb-local.sh up}
 * makes it: installed and started by the first test that needs it in a JVM, so the test command alone
 * sets up what it uses (on a fresh machine the script installs MariaDB from Debian's packages).
 */
public final class LocalMariaDb {
  public static final String HOST = "127.0.0.1";
  public static final int PORT = 3306;
  public static final String USER = "airbyte";
  public static final String PASSWORD = "airbyte-test-pw";

  private static boolean up;

  private LocalMariaDb() {}

  /** Runs the script once per JVM; fails with its output when it cannot bring MariaDB up. */
  public static synchronized void up() {
    if (up) {
      return;
    }
    Path script = projectRoot().resolve("scripts/mariadb-local.sh");
    try {
      Path log = Files.createTempFile("mariadb-local-up", ".log");
      Process process = new ProcessBuilder("bash", script.toString(), "up").redirectErrorStream(true)
          .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
          .start();
      if (!process.waitFor(15, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new IllegalStateException(script + " up did not finish in 15 minutes; see " + log);
      }
      String said = Files.readString(log, StandardCharsets.UTF_8);
      Files.deleteIfExists(log);
      if (process.exitValue() != 0) {
        throw new IllegalStateException(script + " up failed:\n" + said);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + script, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + script, e);
    }
    up = true;
  }

  /** The repository root: the first folder above the working directory that holds the scripts. */
  public static Path projectRoot() {
    Path here = Path.of("").toAbsolutePath();
    for (Path p = here; p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("scripts/mariadb-local.sh"))) {
        return p;
      }
    }
    throw new IllegalStateException("no scripts/mariadb-local.sh above " + here);
  }
}
