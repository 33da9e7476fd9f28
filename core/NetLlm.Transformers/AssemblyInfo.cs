// Shared transformer building blocks for backbone plugins (namespace NetLlm.Transformers).
// Backbone plugins reference this assembly with Private="false" ExcludeAssets="runtime";
// the host ships it so every plugin shares one copy.
[assembly: System.CLSCompliant(false)]
