/**
 * Non-Java outputs: FreeMarker templates (Courier's defaults from {@code courier-templates}, a
 * user's {@code templateDirectory} on top) rendered over a typed, documented data model of the
 * build's services — reference docs and configuration skeletons. No IO but reading templates;
 * {@link dev.courier.codegen.docs.DocsGenerator} takes the build's one
 * {@link dev.courier.codegen.model.CodegenModel} and returns files for the caller to write.
 * {@link dev.courier.codegen.docs.DocModel} is the templates' data model; {@code DocModelBuilder}
 * builds it and {@code DocRenderer} renders the templates over it.
 */
package dev.courier.codegen.docs;
