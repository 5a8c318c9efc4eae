package dev.sourcevitess.vstream;

import dev.sourcevitess.domain.model.Secret;
import io.grpc.CallCredentials;
import io.grpc.Metadata;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;
import java.util.concurrent.Executor;

/** {@code authorization: Basic base64(user:password)} on every call, as VTGate and PlanetScale expect. */
final class BasicAuthCredentials extends CallCredentials {
  static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private final String header;

  BasicAuthCredentials(String username, Secret password) {
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(password, "password");
    this.header = "Basic " + token(username, password);
  }

  /** The base64 part of the header, which error messages must never show either. */
  static String token(String username, Secret password) {
    return Base64.getEncoder()
        .encodeToString((username + ":" + password.value()).getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public void applyRequestMetadata(RequestInfo info, Executor executor, MetadataApplier applier) {
    Metadata headers = new Metadata();
    headers.put(AUTHORIZATION, header);
    applier.apply(headers);
  }

  @Override
  public String toString() {
    return "BasicAuthCredentials[******]";
  }
}
