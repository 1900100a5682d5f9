package dev.courier.runtime.discovery.zookeeper;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The payload Courier stores with each Curator service instance (serialised as JSON by Curator's
 * {@code JsonInstanceSerializer}): the endpoint's weight and metadata. Instances registered by
 * other programs without a payload read as weight 1, no metadata. A mutable bean for Jackson; not
 * thread-safe, never shared.
 */
public final class InstancePayload {
  private int weight = 1;
  private Map<String, String> metadata = new LinkedHashMap<>();

  public int getWeight() {
    return weight;
  }

  public void setWeight(int weight) {
    this.weight = weight;
  }

  public Map<String, String> getMetadata() {
    return metadata;
  }

  public void setMetadata(Map<String, String> metadata) {
    this.metadata = metadata == null ? new LinkedHashMap<>() : new LinkedHashMap<>(metadata);
  }
}
