package dev.sourcevitess.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sourcevitess.domain.model.GtidPosition;
import dev.sourcevitess.domain.model.ReplicationMethod;
import dev.sourcevitess.domain.model.Secret;
import dev.sourcevitess.domain.model.Shard;
import dev.sourcevitess.domain.model.SourceConfig;
import dev.sourcevitess.domain.model.SourceException;
import dev.sourcevitess.domain.model.TlsCertificates;
import dev.sourcevitess.domain.model.TlsMode;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The connector's config (snake_case JSON, as the spec declares it) to a {@link SourceConfig}.
 * Every refusal names the field, what was wrong and what is expected; the password is never
 * quoted. Airbyte UIs sometimes send numbers as strings, so numeric strings count as numbers.
 */
final class ConfigParser {
  private static final String EXPECTED_FILE = "a JSON object with at least host, database, username and password";
  private static final String GTIDS_EXAMPLE = "{\"keyspace\": {\"-\": \"MySQL56/<uuid>:1-100\"}}";
  private static final Pattern WHOLE_NUMBER = Pattern.compile("[+-]?\\d{1,18}");
  private static final Pattern WHITE_SPACE = Pattern.compile("\\s+");
  /** {@code name:port} or {@code [v6]:port}; a bare IPv6 address has more than one colon and no brackets. */
  private static final Pattern HOST_AND_PORT = Pattern.compile("(\\[[^\\]]*\\]|[^:\\[\\]]+):[^:]*");

  private final JsonInput input;

  ConfigParser(JsonInput input) {
    this.input = input;
  }

  /**
   * @param onPassword told the password as soon as it is read, before the other fields are checked,
   *     so that whatever is written afterwards can hide it
   */
  SourceConfig parse(Path file, Consumer<Secret> onPassword) {
    JsonNode root = input.read(file, "config", EXPECTED_FILE, false);
    if (root.isMissingNode() || root.isNull()) {
      throw SourceException.config("The config file " + file + " is empty; expected " + EXPECTED_FILE + ".");
    }
    if (!root.isObject()) {
      throw SourceException.config("The config file " + file + " holds " + JsonInput.describeKind(root)
          + "; expected " + EXPECTED_FILE + ".");
    }
    Secret password = password(root);
    onPassword.accept(password);
    Optional<Secret> clientKey = optionalSecret(root, "client_key");
    Optional<Secret> clientKeyPassword = optionalSecret(root, "client_key_password");
    clientKey.ifPresent(onPassword);
    clientKeyPassword.ifPresent(onPassword);

    String host = host(requiredText(root, "host", "the host name of the database, such as aws.connect.psdb.cloud"));
    String database = requiredText(root, "database", "the database (keyspace) to read");
    String username = requiredText(root, "username", "the user name to connect with");
    JsonNode options = root.get("options");
    if (options != null && !options.isNull() && !options.isObject()) {
      throw invalid("options", "an object such as {\"do_not_treat_tiny_int_as_boolean\": true}",
          JsonInput.describe(options));
    }
    boolean tinyIntAsInteger = options != null && options.isObject()
        && bool(options.get("do_not_treat_tiny_int_as_boolean"), "options.do_not_treat_tiny_int_as_boolean", false);
    TlsMode tlsMode = choice(root, "tls_mode", TlsMode.VERIFY_IDENTITY, TlsMode.values(), false);
    TlsCertificates certificates = certificates(root, tlsMode, clientKey, clientKeyPassword);
    try {
      return new SourceConfig(
          host,
          integer(root, "port", SourceConfig.DEFAULT_PORT, 1, 65535),
          integer(root, "grpc_port", SourceConfig.DEFAULT_GRPC_PORT, 1, 65535),
          database,
          username,
          password,
          tlsMode,
          choice(root, "replication_method", ReplicationMethod.VSTREAM, ReplicationMethod.values(), true),
          shards(root.get("shards")),
          bool(root.get("use_replica"), "use_replica", false),
          bool(root.get("use_rdonly"), "use_rdonly", false),
          bool(root.get("include_metadata"), "include_metadata", false),
          startingGtids(root.get("starting_gtids")),
          integer(root, "max_retries", SourceConfig.DEFAULT_MAX_RETRIES, 0, SourceConfig.MAX_RETRIES),
          integer(root, "timeout_seconds", SourceConfig.DEFAULT_TIMEOUT_SECONDS, 1,
              SourceConfig.MAX_TIMEOUT_SECONDS),
          bool(root.get("use_gtid_with_table_pks"), "use_gtid_with_table_pks", true),
          !tinyIntAsInteger,
          optionalText(root, "cells"),
          integer(root, "concurrency", SourceConfig.DEFAULT_CONCURRENCY, 1, SourceConfig.MAX_CONCURRENCY),
          certificates);
    } catch (IllegalArgumentException e) {
      // the checks above should have caught it; keep the domain's wording if they did not
      throw SourceException.config("Invalid config: " + e.getMessage() + ".");
    }
  }

  /**
   * A bare host name or IP address. Users paste connection strings: credentials before an
   * {@code @} are refused without being shown, and a port after the host is pointed to its field.
   */
  private static String host(String host) {
    String expected = "a host name such as aws.connect.psdb.cloud, without a scheme, port or path";
    if (host.contains("@")) {
      throw SourceException.config("Invalid config: host must be " + expected + ", but it holds a user name or"
          + " password before '@' (not shown here): put them in username and password, and only the part after"
          + " the '@' in host.");
    }
    if (host.contains("://") || host.contains("/")) {
      throw invalid("host", expected, JsonInput.quote(host));
    }
    if (WHITE_SPACE.matcher(host).find()) {
      throw invalid("host", expected + " or spaces", JsonInput.quote(host));
    }
    Matcher withPort = HOST_AND_PORT.matcher(host);
    if (withPort.matches()) {
      throw SourceException.config("Invalid config: host must be " + expected + ", got " + JsonInput.quote(host)
          + ": put " + JsonInput.quote(withPort.group(1)) + " in host and the port number in port (MySQL) or"
          + " grpc_port (VTGate's gRPC).");
    }
    return host;
  }

  /** The PEM fields, which only mean something with TLS; a CA only where certificates are checked. */
  private static TlsCertificates certificates(JsonNode root, TlsMode tlsMode, Optional<Secret> clientKey,
      Optional<Secret> clientKeyPassword) {
    Optional<String> ca = optionalText(root, "ca_certificate");
    Optional<String> clientCertificate = optionalText(root, "client_certificate");
    if (tlsMode == TlsMode.DISABLED && (ca.isPresent() || clientCertificate.isPresent() || clientKey.isPresent())) {
      throw invalid("tls_mode", "verify_identity or required when certificates are given (ca_certificate,"
          + " client_certificate, client_key)", "\"disabled\"");
    }
    if (tlsMode == TlsMode.REQUIRED && ca.isPresent()) {
      throw invalid("tls_mode", "verify_identity when ca_certificate is given (required checks no certificate,"
          + " so the CA would be ignored)", "\"required\"");
    }
    if (ca.isEmpty() && clientCertificate.isEmpty() && clientKey.isEmpty() && clientKeyPassword.isEmpty()) {
      // no SecureRandom without certificates: setting up the security providers costs a run 20 ms
      return TlsCertificates.none();
    }
    return new PemCertificates(new SecureRandom()).read(ca, clientCertificate, clientKey, clientKeyPassword);
  }

  private static Secret password(JsonNode root) {
    JsonNode node = root.get("password");
    if (node == null || node.isNull()) {
      throw required("password", "the password of the user");
    }
    if (!node.isTextual()) {
      throw invalid("password", "a string", JsonInput.describeKind(node));
    }
    return new Secret(node.textValue());
  }

  private static String requiredText(JsonNode root, String field, String meaning) {
    JsonNode node = root.get(field);
    if (node == null || node.isNull()) {
      throw required(field, meaning);
    }
    if (!node.isTextual()) {
      throw invalid(field, "a string: " + meaning, JsonInput.describe(node));
    }
    String value = node.textValue().trim();
    if (value.isEmpty()) {
      throw invalid(field, "a non-empty string: " + meaning, JsonInput.describe(node));
    }
    return value;
  }

  private static Optional<String> optionalText(JsonNode root, String field) {
    JsonNode node = root.get(field);
    if (node == null || node.isNull()) {
      return Optional.empty();
    }
    if (!node.isTextual()) {
      throw invalid(field, "a string", JsonInput.describe(node));
    }
    String value = node.textValue().trim();
    return value.isEmpty() ? Optional.empty() : Optional.of(value);
  }

  /** A secret as typed: spaces are part of it; an empty one counts as not set. */
  private static Optional<Secret> optionalSecret(JsonNode root, String field) {
    JsonNode node = root.get(field);
    if (node == null || node.isNull()) {
      return Optional.empty();
    }
    if (!node.isTextual()) {
      throw invalid(field, "a string", JsonInput.describeKind(node));
    }
    return node.textValue().isEmpty() ? Optional.empty() : Optional.of(new Secret(node.textValue()));
  }

  private static int integer(JsonNode root, String field, int defaultValue, int min, int max) {
    JsonNode node = root.get(field);
    if (node == null || node.isNull()) {
      return defaultValue;
    }
    String expected = "a whole number from " + min + " to " + max;
    BigDecimal value = null;
    if (node.isNumber()) {
      value = node.decimalValue();
    } else if (node.isTextual() && WHOLE_NUMBER.matcher(node.textValue().trim()).matches()) {
      value = new BigDecimal(node.textValue().trim());
    }
    if (value == null || value.stripTrailingZeros().scale() > 0) {
      throw invalid(field, expected, JsonInput.describe(node));
    }
    if (value.compareTo(BigDecimal.valueOf(min)) < 0 || value.compareTo(BigDecimal.valueOf(max)) > 0) {
      throw invalid(field, expected, JsonInput.describe(node));
    }
    return value.intValueExact();
  }

  private static boolean bool(JsonNode node, String field, boolean defaultValue) {
    if (node == null || node.isNull()) {
      return defaultValue;
    }
    if (node.isBoolean()) {
      return node.booleanValue();
    }
    if (node.isTextual()) {
      String text = node.textValue().trim().toLowerCase(Locale.ROOT);
      if (text.equals("true") || text.equals("false")) {
        return text.equals("true");
      }
    }
    throw invalid(field, "true or false", JsonInput.describe(node));
  }

  /**
   * An enum by name, in any case: the spec spells tls_mode lower-case and replication_method
   * upper-case ({@code upperCase}), and users copy either from other connectors.
   */
  private static <E extends Enum<E>> E choice(JsonNode root, String field, E defaultValue, E[] values,
      boolean upperCase) {
    JsonNode node = root.get(field);
    if (node == null || node.isNull()) {
      return defaultValue;
    }
    List<String> names = new ArrayList<>();
    for (E value : values) {
      String name = upperCase ? value.name() : value.name().toLowerCase(Locale.ROOT);
      names.add(name);
      if (node.isTextual() && node.textValue().trim().equalsIgnoreCase(value.name())) {
        return value;
      }
    }
    String expected = "one of " + String.join(", ", names.subList(0, names.size() - 1)) + " or "
        + names.get(names.size() - 1);
    throw invalid(field, expected, JsonInput.describe(node));
  }

  private static List<Shard> shards(JsonNode node) {
    if (node == null || node.isNull()) {
      return List.of();
    }
    if (!node.isTextual()) {
      throw invalid("shards", "a comma-separated list of shard names such as \"-80,80-\"", JsonInput.describe(node));
    }
    Set<Shard> shards = new LinkedHashSet<>();
    for (String name : node.textValue().split(",")) {
      if (!name.isBlank()) {
        shards.add(new Shard(name.trim()));
      }
    }
    return List.copyOf(shards);
  }

  /** A JSON string holding {"keyspace": {"shard": "MySQL56/..." or "MariaDB/..."}}, or that object itself. */
  private Map<String, Map<Shard, String>> startingGtids(JsonNode node) {
    if (node == null || node.isNull()) {
      return Map.of();
    }
    JsonNode tree = node;
    if (node.isTextual()) {
      String text = node.textValue().trim();
      if (text.isEmpty()) {
        return Map.of();
      }
      tree = input.parse(text.getBytes(StandardCharsets.UTF_8), "Invalid config: starting_gtids",
          "a JSON object such as " + GTIDS_EXAMPLE, true);
    }
    if (!tree.isObject()) {
      throw invalid("starting_gtids", "a JSON object of keyspace to shard to position, such as " + GTIDS_EXAMPLE,
          JsonInput.describe(tree));
    }
    Map<String, Map<Shard, String>> byKeyspace = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> keyspace : tree.properties()) {
      String keyspacePath = "starting_gtids[" + JsonInput.quote(keyspace.getKey()) + "]";
      if (keyspace.getKey().isBlank()) {
        throw invalid("starting_gtids", "keyspace names that are not empty, as in " + GTIDS_EXAMPLE, "\"\"");
      }
      if (!keyspace.getValue().isObject()) {
        throw invalid(keyspacePath, "an object of shard to position, such as {\"-80\": \"MySQL56/<uuid>:1-100\"}",
            JsonInput.describe(keyspace.getValue()));
      }
      Map<Shard, String> byShard = new LinkedHashMap<>();
      for (Map.Entry<String, JsonNode> shard : keyspace.getValue().properties()) {
        String shardPath = keyspacePath + "[" + JsonInput.quote(shard.getKey()) + "]";
        if (shard.getKey().isBlank()) {
          throw invalid(keyspacePath, "shard names that are not empty, such as \"-\" or \"-80\"", "\"\"");
        }
        byShard.put(new Shard(shard.getKey().trim()), position(shardPath, shard.getValue()));
      }
      byKeyspace.put(keyspace.getKey(), Map.copyOf(byShard));
    }
    return byKeyspace;
  }

  /**
   * A shard's position, as {@code select @@gtid_executed} (MySQL) or {@code select @@gtid_binlog_pos}
   * (MariaDB) prints it: white space is dropped and the flavor VTGate wants ({@code MySQL56/} or
   * {@code MariaDB/}) is added when missing.
   */
  private static String position(String path, JsonNode node) {
    String expected = "a GTID position such as \"MySQL56/<uuid>:1-100\" or \"MariaDB/0-100-57\"";
    if (!node.isTextual() || node.textValue().isBlank()) {
      throw invalid(path, expected, JsonInput.describe(node));
    }
    String position = WHITE_SPACE.matcher(node.textValue()).replaceAll("");
    GtidPosition parsed;
    try {
      parsed = GtidPosition.parse(position);
    } catch (IllegalArgumentException e) {
      throw SourceException.config("Invalid config: " + path + " must be " + expected + ", got "
          + JsonInput.describe(node) + " (" + e.getMessage() + ").");
    }
    return GtidPosition.Flavor.of(position).isPresent() ? position : parsed.flavor().prefix() + position;
  }

  private static SourceException required(String field, String meaning) {
    return SourceException.config("Invalid config: " + field + " is required: " + meaning + ".");
  }

  private static SourceException invalid(String field, String expected, String got) {
    return SourceException.config("Invalid config: " + field + " must be " + expected + ", got " + got + ".");
  }
}
