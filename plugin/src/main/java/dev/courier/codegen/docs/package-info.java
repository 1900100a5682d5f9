/**
 * Non-Java outputs: FreeMarker templates (Courier's defaults from {@code courier-templates}, a
 * user's {@code templateDirectory} on top) rendered over a typed, documented data model of the
 * build's services — reference docs and configuration skeletons. No IO but reading templates;
 * {@link dev.courier.codegen.docs.DocRenderer} returns files for the caller to write.
 */
package dev.courier.codegen.docs;
