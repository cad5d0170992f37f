# Every option definition a set of modules makes, as data: path, priority, whether it sits
# under lib.mkIf, and a description of the value. The module arguments are stand-ins: `lib`
# records priorities instead of merging, `config` and `pkgs` answer only what the option
# schema declares (a read of anything else fails the evaluation, naming the file), and flake
# inputs and nixpkgs modules are markers the checker knows by name.
{
  # { kind = "nixos" | "darwin" | "home"; modules = [ ... ]; specialArgs = { ... }; }
  entry,
  # JSON: the config values the schema declares, and the packages it knows.
  stubsJson,
}:
let
  inherit (builtins)
    attrNames
    concatLists
    concatMap
    filter
    fromJSON
    isAttrs
    isBool
    isFloat
    isFunction
    isInt
    isList
    isPath
    isString
    listToAttrs
    map
    mapAttrs
    typeOf
    ;

  stubs = fromJSON stubsJson;

  package = p: {
    type = "derivation";
    inherit (p) name pname;
    meta = {
      unfree = p.unfree or false;
      insecure = p.insecure or false;
    };
    outPath = "/nix/store/stub-${p.name}";
  };

  # JSON marks a package with __package; everything else is plain data.
  revive = v:
    if isAttrs v then
      (if v ? __package then package v.__package else mapAttrs (_: revive) v)
    else if isList v then
      map revive v
    else
      v;

  config = revive stubs.config;
  pkgs = revive stubs.pkgs;

  lib = rec {
    mkOverride = priority: content: {
      _type = "override";
      inherit priority content;
    };
    mkDefault = mkOverride 1000;
    mkForce = mkOverride 50;
    mkOptionDefault = mkOverride 1500;
    mkIf = condition: content: {
      _type = "if";
      inherit condition content;
    };
    mkMerge = contents: {
      _type = "merge";
      inherit contents;
    };
    mkBefore = content: {
      _type = "order";
      inherit content;
    };
    mkAfter = mkBefore;
    getName = x: x.pname or x.name;
    optional = cond: x: if cond then [ x ] else [ ];
    optionals = cond: xs: if cond then xs else [ ];
  };

  # A flake input or a nixpkgs module, known to the checker by name.
  marker = name: {
    _external = name;
  };

  args = entry.specialArgs // {
    inherit config lib pkgs;
    options = { };
    modulesPath = "<modulesPath>";
  };

  describe =
    v:
    if isAttrs v then
      (
        if (v.type or null) == "derivation" then
          {
            t = "package";
            inherit (v) name;
            unfree = v.meta.unfree;
            insecure = v.meta.insecure;
          }
        else if v ? _external then
          {
            t = "module";
            name = v._external;
          }
        else if v ? _stub then
          {
            t = "stub";
            name = v._stub;
          }
        else if v ? _type then
          {
            t = "wrapped";
            kind = v._type;
          }
        else
          {
            t = "set";
            attrs = mapAttrs (_: describe) v;
          }
      )
    else if isList v then
      {
        t = "list";
        items = map describe v;
      }
    else if isFunction v then
      { t = "lambda"; }
    else if isPath v then
      {
        t = "path";
        value = toString v;
      }
    else if isString v then
      {
        t = "string";
        value = v;
      }
    else if isInt v then
      {
        t = "int";
        value = v;
      }
    else if isFloat v then
      { t = "float"; }
    else if isBool v then
      {
        t = "bool";
        value = v;
      }
    else if v == null then
      { t = "null"; }
    else
      { t = typeOf v; };

  isPlainSet = v: isAttrs v && !(v ? _type) && !(v ? _external) && !(v ? _stub) && (v.type or null) != "derivation";

  # Definitions below `path`, each with the priority and condition it sits under.
  walk =
    file: path: priority: conditional: v:
    if isAttrs v && (v._type or null) == "override" then
      walk file path v.priority conditional v.content
    else if isAttrs v && (v._type or null) == "if" then
      walk file path priority true v.content
    else if isAttrs v && (v._type or null) == "merge" then
      concatMap (walk file path priority conditional) v.contents
    else if isAttrs v && (v._type or null) == "order" then
      walk file path priority conditional v.content
    else if isPlainSet v && (v != { } || path == [ ]) then
      concatLists (map (name: walk file (path ++ [ name ]) priority conditional v.${name}) (attrNames v))
    else
      [
        {
          inherit
            file
            path
            priority
            conditional
            ;
          value = describe v;
        }
      ];

  load =
    source:
    if isPath source then
      (
        let
          imported = import source;
        in
        {
          file = toString source;
          module = if isFunction imported then imported args else imported;
        }
      )
    else if isString source then
      { external = source; }
    else if isAttrs source && source ? _external then
      { external = source._external; }
    else if isFunction source then
      {
        file = "<inline>";
        module = source args;
      }
    else
      {
        file = "<inline>";
        module = source;
      };

  structural = [
    "imports"
    "_file"
    "meta"
    "disabledModules"
    "key"
    "options"
    "config"
  ];

  collect =
    source:
    let
      loaded = load source;
      module = loaded.module;
      configOf = if module ? config || module ? options then module.config or { } else removeAttrs module structural;
    in
    if loaded ? external then
      {
        definitions = [ ];
        externals = [ loaded.external ];
      }
    else
      let
        inner = map collect (module.imports or [ ]);
      in
      {
        definitions = walk loaded.file [ ] 100 false configOf ++ concatMap (c: c.definitions) inner;
        externals = concatMap (c: c.externals) inner;
      };

  results = map collect entry.modules;
in
{
  definitions = concatMap (r: r.definitions) results;
  externals = concatMap (r: r.externals) results;
  # What each allowUnfreePredicate lets through, of the unfree packages the schema knows.
  allowedUnfree = map (
    d:
    filter (name: d.predicate (package { inherit name; pname = name; unfree = true; })) stubs.unfreeNames
  ) (
    filter (d: d.predicate != null) (
      map (r: { predicate = r.module.nixpkgs.config.allowUnfreePredicate or null; }) (
        filter (r: r ? module) (map load entry.modules)
      )
    )
  );
}
