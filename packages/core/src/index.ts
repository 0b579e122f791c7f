export { SceneDoc, SCENE_DOC_DEFAULTS, type SceneDocOptions, type OwnershipChange } from './scene-doc.js';
export { SceneError, type SceneErrorCode } from './errors.js';
export type {
  AddNodeInput,
  AddResourceInput,
  ChangeInfo,
  ChangeListener,
  InvalidEntry,
  InvalidListener,
  Props,
  ResourceRecord,
  SceneChange,
  SceneNode,
  SceneTree,
  TreeInput,
  TreeNode,
} from './model/types.js';
export type {
  DictionaryValue,
  ExtResourceRefValue,
  GodotValue,
  MathTypeName,
  MathValue,
  NodeId,
  NodePathValue,
  PackedArrayTypeName,
  PackedArrayTypes,
  PackedArrayValue,
  ResourceId,
  ResourceRefValue,
  StringNameValue,
} from './values/types.js';
export { INTEGER_MATH_TYPES, MATH_TYPE_SIZES } from './values/types.js';
export {
  color,
  dictionary,
  extResource,
  IDENTITY_TRANSFORM3D,
  int,
  nodePath,
  quat,
  resourceRef,
  stringName,
  transform3d,
  translation3d,
  vec2,
  vec3,
  vec4,
} from './values/constructors.js';
export { encodeValue, decodeValue, ValueDecodeError, MAX_ENCODED_VALUE_BYTES } from './values/codec.js';
export { assertGodotValue, isGodotValue, MAX_VALUE_DEPTH } from './values/validate.js';
export { valuesEqual } from './values/equal.js';
export { ROOT_ID } from './model/ids.js';
export { SCHEMA_VERSION } from './model/schema.js';
