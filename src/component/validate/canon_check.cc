// Canonical definitions (CanonicalABI.md "Canonical Definitions"): option validation, the core
// signature of lift and lower (flatten_functype with the memory and realloc requirements), and
// the resource built-ins. The asynchronous and threading built-ins are not supported.
#include <fmt/format.h>

#include "component/validate/validator_impl.h"

namespace berth::component::validate {
namespace {

using engine::ValType;

ValType join(ValType a, ValType b) {
  if (a == b) return a;
  if ((a == ValType::kI32 && b == ValType::kF32) || (a == ValType::kF32 && b == ValType::kI32)) {
    return ValType::kI32;
  }
  return ValType::kI64;
}

std::string_view encoding_name(CanonOptionKind kind) {
  switch (kind) {
    case CanonOptionKind::kUtf8:
      return "utf8";
    case CanonOptionKind::kUtf16:
      return "utf16";
    default:
      return "latin1-utf16";
  }
}

}  // namespace

namespace {

bool push_flat(std::vector<ValType>& out, ValType type, size_t max) {
  if (out.size() >= max) return false;
  out.push_back(type);
  return true;
}

// A variant's discriminant, then the cases' flattenings joined position by position.
bool flatten_cases(TypeContext& context, const std::vector<const Type*>& payloads,
                   std::vector<ValType>& out, size_t max) {
  if (!push_flat(out, ValType::kI32, max)) return false;
  size_t start = out.size();
  for (const Type* payload : payloads) {
    if (!payload) continue;
    std::vector<ValType> flat;
    if (!flatten_type(context, *payload, flat, max)) return false;
    for (size_t i = 0; i < flat.size(); ++i) {
      if (start + i < out.size()) {
        out[start + i] = join(out[start + i], flat[i]);
      } else if (!push_flat(out, flat[i], max)) {
        return false;
      }
    }
  }
  return true;
}

}  // namespace

bool flatten_type(TypeContext& context, const Type& type, std::vector<ValType>& out, size_t max) {
  switch (type.kind) {
    case ValKind::kS64:
    case ValKind::kU64:
      return push_flat(out, ValType::kI64, max);
    case ValKind::kF32:
      return push_flat(out, ValType::kF32, max);
    case ValKind::kF64:
      return push_flat(out, ValType::kF64, max);
    case ValKind::kString:
      return push_flat(out, ValType::kI32, max) && push_flat(out, ValType::kI32, max);
    case ValKind::kList:
      if (!type.fixed_length) {
        return push_flat(out, ValType::kI32, max) && push_flat(out, ValType::kI32, max);
      }
      for (uint32_t i = 0; i < *type.fixed_length; ++i) {
        if (!flatten_type(context, *type.element, out, max)) return false;
      }
      return true;
    case ValKind::kRecord:
    case ValKind::kTuple:
      for (const Field& f : type.fields) {
        if (!flatten_type(context, *f.type, out, max)) return false;
      }
      return true;
    case ValKind::kVariant: {
      std::vector<const Type*> payloads;
      for (const Field& c : type.fields) payloads.push_back(c.type.get());
      return flatten_cases(context, payloads, out, max);
    }
    case ValKind::kOption:
      return flatten_cases(context, {type.element.get()}, out, max);
    case ValKind::kResult:
      return flatten_cases(context, {type.ok.get(), type.error.get()}, out, max);
    default:  // bool, integers up to 32 bits, char, enum, flags, handles, stream, future
      return push_flat(out, ValType::kI32, max);
  }
}

Result<CanonOptions> Validator::canon_options(const Canon& canon, bool lift) {
  size_t offset = canon.offset;
  CanonOptions options;
  std::optional<CanonOptionKind> encoding;
  for (const binary::CanonOption& option : canon.options) {
    switch (option.kind) {
      case CanonOptionKind::kUtf8:
      case CanonOptionKind::kUtf16:
      case CanonOptionKind::kLatin1Utf16:
        if (encoding) {
          return invalid(offset, fmt::format("canonical encoding option `{}` conflicts with "
                                             "option `{}`",
                                             encoding_name(*encoding), encoding_name(option.kind)));
        }
        encoding = option.kind;
        options.string_encoding = option.kind == CanonOptionKind::kUtf8 ? StringEncoding::kUtf8
                                  : option.kind == CanonOptionKind::kUtf16
                                      ? StringEncoding::kUtf16
                                      : StringEncoding::kLatin1Utf16;
        break;
      case CanonOptionKind::kMemory: {
        if (options.memory) {
          return invalid(offset, "canonical option `memory` is specified more than once");
        }
        BERTH_TRY_ASSIGN(const engine::MemoryType* memory, memory_at(option.index, offset));
        if (memory->memory64) {
          return unsupported(offset, "64-bit memories (🐘) in canonical options are not supported");
        }
        if (memory->shared) {
          return invalid(offset, "canonical option `memory` cannot be a shared memory");
        }
        options.memory = option.index;
        break;
      }
      case CanonOptionKind::kRealloc:
        if (options.realloc) {
          return invalid(offset, "canonical option `realloc` is specified more than once");
        }
        options.realloc = option.index;
        break;
      case CanonOptionKind::kPostReturn:
        if (options.post_return) {
          return invalid(offset, "canonical option `post-return` is specified more than once");
        }
        if (!lift) {
          return invalid(offset,
                         "canonical option `post-return` cannot be specified for lowerings");
        }
        options.post_return = option.index;
        break;
      case CanonOptionKind::kAsync:
      case CanonOptionKind::kCallback:
        return unsupported(offset,
                           "the `async` and `callback` canonical options (🔀) are not "
                           "supported");
      case CanonOptionKind::kCoreType:
      case CanonOptionKind::kGc:
        return unsupported(offset, "the `gc` and `core-type` canonical options are not supported");
    }
  }
  if (options.realloc) {
    if (!options.memory) {
      return invalid(offset, "canonical option `realloc` requires `memory` to also be specified");
    }
    BERTH_TRY_ASSIGN(const engine::FuncType* realloc, core_func_at(*options.realloc, offset));
    engine::FuncType expected{{ValType::kI32, ValType::kI32, ValType::kI32, ValType::kI32},
                              {ValType::kI32}};
    if (*realloc != expected) {
      return invalid(offset,
                     fmt::format("canonical option `realloc` uses a core function with an "
                                 "incorrect signature: core function {} has type {}, "
                                 "expected {}",
                                 *options.realloc, realloc->to_string(), expected.to_string()));
    }
  }
  if (options.post_return) BERTH_TRY(core_func_at(*options.post_return, offset));
  return options;
}

Result<engine::FuncType> Validator::lowered_signature(const FuncType& type,
                                                      const CanonOptions& options, bool lift,
                                                      size_t offset) {
  // Lifting lowers the parameters into the callee (which needs realloc when they hold pointers)
  // and lifts the result out of it (which needs memory); lowering is the other way round.
  auto require_memory = [&]() -> Result<void> {
    if (!options.memory) return invalid(offset, "canonical option `memory` is required");
    return {};
  };
  auto require_realloc = [&]() -> Result<void> {
    BERTH_TRY(require_memory());
    if (!options.realloc) return invalid(offset, "canonical option `realloc` is required");
    return {};
  };
  engine::FuncType core;
  bool spilled = false;
  for (const Field& param : type.params) {
    if (context_.info(*param.type).contains_pointer) {
      BERTH_TRY(lift ? require_realloc() : require_memory());
    }
    if (!spilled && !flatten_type(context_, *param.type, core.params, kMaxFlatParams)) {
      spilled = true;
    }
  }
  if (spilled) {
    // Too many parameters: they go through memory and the core function takes a pointer.
    core.params = {ValType::kI32};
    BERTH_TRY(lift ? require_realloc() : require_memory());
  }
  if (type.result) {
    if (context_.info(*type.result).contains_pointer) {
      BERTH_TRY(lift ? require_memory() : require_realloc());
    }
    if (!flatten_type(context_, *type.result, core.results, kMaxFlatResults)) {
      core.results.clear();
      BERTH_TRY(require_memory());
      if (lift) {
        core.results = {ValType::kI32};
      } else {
        core.params.push_back(ValType::kI32);
      }
    }
  }
  return core;
}

Result<void> Validator::canon(const Canon& canon, size_t definition) {
  size_t offset = canon.offset;
  ValidatedComponent& s = spaces();
  CanonDefinition out;
  out.definition = definition;
  out.canon = &canon;
  switch (canon.kind) {
    case CanonKind::kLift: {
      BERTH_TRY_ASSIGN(const TypeEntry* entry, type_at(canon.type_index, offset));
      if (entry->kind != TypeEntry::Kind::kFunc) {
        return invalid(offset,
                       fmt::format("type index {} is not a function type", canon.type_index));
      }
      FuncTypeRef type = entry->func;
      BERTH_TRY_ASSIGN(const engine::FuncType* callee, core_func_at(canon.func_index, offset));
      engine::FuncType callee_type = *callee;
      BERTH_TRY_ASSIGN(out.options, canon_options(canon, true));
      BERTH_TRY_ASSIGN(engine::FuncType expected,
                       lowered_signature(*type, out.options, true, offset));
      if (callee_type != expected) {
        return invalid(offset, fmt::format("canon lift: core function {} has type {}, expected {} "
                                           "for {}",
                                           canon.func_index, callee_type.to_string(),
                                           expected.to_string(), type->to_string()));
      }
      if (out.options.post_return) {
        const engine::FuncType& post = s.core_funcs[*out.options.post_return];
        if (post.params != expected.results || !post.results.empty()) {
          return invalid(
              offset,
              fmt::format("canonical option `post-return` uses a core function "
                          "with an incorrect signature: core function {} has "
                          "type {}, expected ({}) -> ()",
                          *out.options.post_return, post.to_string(),
                          expected.results.empty() ? "" : engine::to_string(expected.results[0])));
        }
      }
      out.index = static_cast<uint32_t>(s.funcs.size());
      out.func_type = type;
      out.core_type = std::move(callee_type);
      s.funcs.push_back(std::move(type));
      break;
    }
    case CanonKind::kLower: {
      BERTH_TRY_ASSIGN(FuncTypeRef type, func_at(canon.func_index, offset));
      BERTH_TRY_ASSIGN(out.options, canon_options(canon, false));
      BERTH_TRY_ASSIGN(out.core_type, lowered_signature(*type, out.options, false, offset));
      out.index = static_cast<uint32_t>(s.core_funcs.size());
      out.func_type = std::move(type);
      s.core_funcs.push_back(out.core_type);
      break;
    }
    case CanonKind::kResourceNew:
    case CanonKind::kResourceRep:
    case CanonKind::kResourceDrop: {
      BERTH_TRY_ASSIGN(ResourceTypeRef alias, resource_at(canon.type_index, offset));
      out.resource = context_.canonical(alias);
      if (canon.kind == CanonKind::kResourceDrop) {
        out.core_type = engine::FuncType{{ValType::kI32}, {}};
      } else {
        // new and rep reach into the representation, which only the defining component knows.
        std::optional<ValType> rep;
        for (const DefinedResource& d : scope().defined_resources) {
          if (d.resource == out.resource) rep = d.rep;
        }
        if (!rep) {
          return invalid(offset, fmt::format("type index {} is not a local resource: `{}` needs a "
                                             "resource defined in this component",
                                             canon.type_index, binary::to_string(canon.kind)));
        }
        out.core_type = canon.kind == CanonKind::kResourceNew
                            ? engine::FuncType{{*rep}, {ValType::kI32}}
                            : engine::FuncType{{ValType::kI32}, {*rep}};
      }
      out.index = static_cast<uint32_t>(s.core_funcs.size());
      s.core_funcs.push_back(out.core_type);
      break;
    }
    default:
      return unsupported(offset, fmt::format("`canon {}` belongs to the asynchronous or threaded "
                                             "component model, which berth does not support",
                                             binary::to_string(canon.kind)));
  }
  s.canons.push_back(std::move(out));
  return {};
}

}  // namespace berth::component::validate
