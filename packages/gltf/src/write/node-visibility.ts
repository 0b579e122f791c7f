import { Extension, ExtensionProperty, PropertyType, type IProperty, type ReaderContext, type WriterContext } from '@gltf-transform/core';

/** The extension Godot 4.5+ writes and reads for hidden nodes. */
export const KHR_NODE_VISIBILITY = 'KHR_node_visibility';

interface IVisibility extends IProperty {
  visible: boolean;
}

/** `KHR_node_visibility` on one node: `{ visible: false }` hides the node and its descendants. */
export class NodeVisibility extends ExtensionProperty<IVisibility> {
  static override EXTENSION_NAME = KHR_NODE_VISIBILITY;
  declare extensionName: typeof KHR_NODE_VISIBILITY;
  declare propertyType: 'NodeVisibility';
  declare parentTypes: [PropertyType.NODE];

  protected init(): void {
    this.extensionName = KHR_NODE_VISIBILITY;
    this.propertyType = 'NodeVisibility';
    this.parentTypes = [PropertyType.NODE];
  }

  protected override getDefaults() {
    return Object.assign(super.getDefaults(), { visible: true });
  }

  getVisible(): boolean {
    return this.get('visible');
  }

  setVisible(visible: boolean): this {
    return this.set('visible', visible);
  }
}

/**
 * glTF-Transform support for `KHR_node_visibility` (not in @gltf-transform/extensions yet). Written as
 * an optional extension: viewers that do not know it still open the file (and show hidden nodes);
 * Godot 4.5+ hides them (G-NODE-4).
 */
export class KHRNodeVisibility extends Extension {
  static override EXTENSION_NAME = KHR_NODE_VISIBILITY;
  override extensionName = KHR_NODE_VISIBILITY;

  createVisibility(): NodeVisibility {
    return new NodeVisibility(this.document.getGraph());
  }

  read(context: ReaderContext): this {
    const defs = context.jsonDoc.json.nodes ?? [];
    defs.forEach((def, i) => {
      const ext = def.extensions?.[KHR_NODE_VISIBILITY] as { visible?: boolean } | undefined;
      if (ext) context.nodes[i]!.setExtension(KHR_NODE_VISIBILITY, this.createVisibility().setVisible(ext.visible !== false));
    });
    return this;
  }

  write(context: WriterContext): this {
    const json = context.jsonDoc.json;
    for (const node of this.document.getRoot().listNodes()) {
      const vis = node.getExtension<NodeVisibility>(KHR_NODE_VISIBILITY);
      if (!vis) continue;
      const index = context.nodeIndexMap.get(node);
      if (index === undefined) continue;
      const def = json.nodes![index]!;
      def.extensions = def.extensions ?? {};
      def.extensions[KHR_NODE_VISIBILITY] = { visible: vis.getVisible() };
    }
    return this;
  }
}
