package dev.sourcevitess.protocol;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * What the launcher asked for: {@code spec}, {@code check --config F}, {@code discover --config F}
 * or {@code read --config F --catalog F [--state F]}.
 */
public record Command(Kind kind, Optional<Path> config, Optional<Path> catalog, Optional<Path> state) {

  public static final String USAGE = "usage: spec | check --config CONFIG | discover --config CONFIG"
      + " | read --config CONFIG --catalog CATALOG [--state STATE]";

  /** The Airbyte source operations. */
  public enum Kind {
    SPEC,
    CHECK,
    DISCOVER,
    READ
  }

  public Command {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(catalog, "catalog");
    Objects.requireNonNull(state, "state");
    boolean wantsConfig = kind != Kind.SPEC;
    boolean isRead = kind == Kind.READ;
    String name = kind.name().toLowerCase(Locale.ROOT);
    if (wantsConfig && config.isEmpty()) {
      throw usage(name + " needs --config");
    }
    if (!wantsConfig && config.isPresent()) {
      throw usage(name + " takes no --config");
    }
    if (isRead && catalog.isEmpty()) {
      throw usage("read needs --catalog");
    }
    if (!isRead && (catalog.isPresent() || state.isPresent())) {
      throw usage(name + " takes no --catalog or --state");
    }
  }

  /**
   * Parses the command line; options may be given as {@code --config F} or {@code --config=F}.
   *
   * @throws IllegalArgumentException saying what is wrong, followed by the usage
   */
  public static Command parse(String... args) {
    if (args == null || args.length == 0) {
      throw usage("no command given");
    }
    Kind kind = switch (args[0]) {
      case "spec" -> Kind.SPEC;
      case "check" -> Kind.CHECK;
      case "discover" -> Kind.DISCOVER;
      case "read" -> Kind.READ;
      default -> throw usage("unknown command '" + args[0] + "'");
    };
    Path config = null;
    Path catalog = null;
    Path state = null;
    for (int i = 1; i < args.length; i++) {
      String arg = args[i];
      String option = arg;
      String value = null;
      int eq = arg.indexOf('=');
      if (arg.startsWith("--") && eq > 0) {
        option = arg.substring(0, eq);
        value = arg.substring(eq + 1);
      } else if (i + 1 < args.length) {
        value = args[++i];
      }
      if (!option.equals("--config") && !option.equals("--catalog") && !option.equals("--state")) {
        throw usage("unknown argument '" + arg + "'");
      }
      if (value == null || value.isEmpty()) {
        throw usage(option + " needs a file path");
      }
      Path path = Path.of(value);
      switch (option) {
        case "--config" -> config = once(config, path, option);
        case "--catalog" -> catalog = once(catalog, path, option);
        default -> state = once(state, path, option);
      }
    }
    return new Command(kind, Optional.ofNullable(config), Optional.ofNullable(catalog), Optional.ofNullable(state));
  }

  private static Path once(Path previous, Path path, String option) {
    if (previous != null) {
      throw usage(option + " given twice");
    }
    return path;
  }

  private static IllegalArgumentException usage(String problem) {
    return new IllegalArgumentException(problem + "; " + USAGE);
  }
}
