// placeholder; replaced by the DSL
export {};
