package dev.courier.codegen.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The names of the generated types come from the base name, one suffix per type. */
class GeneratedNamesTest {

  @Test
  void everyGeneratedTypeIsTheBaseNameWithItsSuffix() {
    GeneratedNames names = GeneratedNames.of("Inventory");

    assertThat(names).isEqualTo(new GeneratedNames("Inventory", "InventoryAsync", "InventoryClient", "InventoryServer",
        "InventoryMethods", "InventoryQueueClient", "InventoryQueueWorker"));
  }

  @Test
  void queueTypesAreListedOnlyWithQueueMethods() {
    GeneratedNames names = GeneratedNames.of("Inventory");

    assertThat(names.all(false))
        .containsExactly("Inventory", "InventoryAsync", "InventoryClient", "InventoryServer", "InventoryMethods");
    assertThat(names.all(true)).containsExactly("Inventory", "InventoryAsync", "InventoryClient", "InventoryServer",
        "InventoryMethods", "InventoryQueueClient", "InventoryQueueWorker");
  }
}
