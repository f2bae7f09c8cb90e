package tokenizer

import (
	"strconv"
	"strings"
	"testing"
)

// testVocabTokens is a copy of the reference folder's vocab.txt, so that the
// tokenizer's own tests do not depend on which folder TURINGLAB_BERT_REF
// names: [PAD], [unused0]..[unused98], [UNK] [CLS] [SEP] [MASK] (100-103),
// whole words, "##" pieces, single characters, punctuation and a few CJK
// characters.
func testVocabTokens() []string {
	tokens := []string{"[PAD]"}
	for i := 0; i < 99; i++ {
		tokens = append(tokens, "[unused"+strconv.Itoa(i)+"]")
	}
	return append(tokens, strings.Fields(
		"[UNK] [CLS] [SEP] [MASK] the a an and or but if then so of to in on at by for with from "+
			"about into over under after before between through during without is are was were be "+
			"been being am do does did done have has had will would can could should may might must i "+
			"you he she it we they me him her us them my your his its our their this that these those "+
			"there here what which who when where why how all any both each few more most other some "+
			"such no not only own same than too very just one two three four five six seven eight "+
			"nine ten hundred first second last next new old good bad great small big large long "+
			"short high low little man woman child children people person friend family teacher "+
			"student school class book paper word sentence language model learning learn train data "+
			"test text token vector time day night year week today morning evening world country city "+
			"house home room door window table chair dog cat fox bird fish horse cow animal tree "+
			"flower garden river sea water fire sun moon star sky rain snow wind quick brown lazy "+
			"jumps jump run ran walk talk play sing song music dance read write wrote see saw look "+
			"make made take took give gave go went come came get got know knew think thought say said "+
			"tell told ask work help call try use find found keep let begin seem show hear turn start "+
			"move live hold bring red blue green yellow black white dark light happy sad kind nice "+
			"hard easy warm cold hot cool fast slow quiet loud cafe naive resume hello yes state art "+
			"well known don ball apple pear love like eat food bread milk coffee tea sugar computer "+
			"network neural attention layer head weight loss gradient un re ##s ##es ##ed ##ing ##ly "+
			"##er ##ers ##est ##ness ##tion ##ment ##ful ##less ##able ##al ##ity ##ize ##ous ##y "+
			"##ish ##a ##b ##c ##d ##e ##f ##g ##h ##i ##j ##k ##l ##m ##n ##o ##p ##q ##r ##t ##u "+
			"##v ##w ##x ##z ##0 ##1 ##2 ##3 ##4 ##5 ##6 ##7 ##8 ##9 b c d e f g h j k l m n o p q r "+
			"s t u v w x y z 0 1 2 3 4 5 6 7 8 9 ! \" # $ % & ' ( ) * + , - . / : ; < = > ? @ [ \\ ] ^ "+
			"_ ` { | } ~ 语 言 模 型 学 习 我 们 中 文 ")...)
}

// testTokenizer is an uncased tokenizer over testVocabTokens.
func testTokenizer(t testing.TB) *BertTokenizer {
	t.Helper()
	v, err := NewVocab(testVocabTokens())
	if err != nil {
		t.Fatal(err)
	}
	tok, err := NewBertTokenizer(v, true)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}
