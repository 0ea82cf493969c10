import SwimParser
import SwimTypes

extension InstanceStorage {
    /// Translates defined function `definedIndex` of this instance.
    func translate(definedIndex: Int) throws -> Translator.Output {
        let parsed = module.parsed
        let type = parsed.types[Int(parsed.functions[definedIndex])]
        let body = parsed.codes[definedIndex]
        let layout = try FrameLayout(type: type, locals: body.locals,
                                     maxStackSlots: module.info.functions[definedIndex].maxStackSlots)
        var reader = InstructionReader(module: parsed, body: body, features: module.engine.configuration.features)
        var translator = Translator(module: parsed, instance: self, type: type, layout: layout,
                                    interruptible: module.engine.configuration.interruptible)
        let output = try translator.translate(&reader)
        if CodeDump.enabled { CodeDump.print(output.code, function: module.importedFunctionCount + definedIndex) }
        return output
    }
}
