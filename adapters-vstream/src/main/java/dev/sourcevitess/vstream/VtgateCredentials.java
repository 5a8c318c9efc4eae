package dev.sourcevitess.vstream;

import dev.sourcevitess.domain.model.Secret;
import io.grpc.CallCredentials;
import io.grpc.Metadata;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * The user's credentials on every call, in both forms VTGates read: PlanetScale reads
 * {@code authorization: Basic base64(user:password)}, while a self-hosted VTGate with
 * {@code --grpc_auth_mode static} reads the {@code username} and {@code password} keys (as
 * Vitess's own Java client sends them) and refuses a call without them. Each ignores the other's.
 */
final class VtgateCredentials extends CallCredentials {
  // Names, not Metadata keys: gRPC's Metadata sets up java.util.logging when first used, which a
  // peek made without gRPC (PeekAhead) would wait 20 ms for.
  private static final String AUTHORIZATION = "authorization";
  private static final String USERNAME = "username";
  private static final String PASSWORD = "password";

  /** The headers that hold a secret, which HTTP/2 must never add to its compression tables. */
  static final List<String> SECRET_HEADERS = List.of(AUTHORIZATION, PASSWORD);

  private final List<Map.Entry<String, String>> pairs;

  VtgateCredentials(String username, Secret password) {
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(password, "password");
    List<Map.Entry<String, String>> pairs = new ArrayList<>();
    pairs.add(Map.entry(AUTHORIZATION, "Basic " + token(username, password)));
    // gRPC metadata values are printable ASCII; a user or password beyond it reaches VTGate only
    // in the Basic form (static auth cannot take it over gRPC at all)
    if (printableAscii(username) && printableAscii(password.value())) {
      pairs.add(Map.entry(USERNAME, username));
      pairs.add(Map.entry(PASSWORD, password.value()));
    }
    this.pairs = List.copyOf(pairs);
  }

  /** The same headers as name and value, for a call made without grpc-java ({@link Http2Call}). */
  List<Map.Entry<String, String>> headers() {
    return pairs;
  }

  private static boolean printableAscii(String text) {
    return text.chars().allMatch(c -> c >= 0x20 && c <= 0x7e);
  }

  /** The base64 part of the header, which error messages must never show either. */
  static String token(String username, Secret password) {
    return Base64.getEncoder()
        .encodeToString((username + ":" + password.value()).getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public void applyRequestMetadata(RequestInfo info, Executor executor, MetadataApplier applier) {
    Metadata headers = new Metadata();
    for (Map.Entry<String, String> pair : pairs) {
      headers.put(Metadata.Key.of(pair.getKey(), Metadata.ASCII_STRING_MARSHALLER), pair.getValue());
    }
    applier.apply(headers);
  }

  @Override
  public String toString() {
    return "VtgateCredentials[******]";
  }
}
